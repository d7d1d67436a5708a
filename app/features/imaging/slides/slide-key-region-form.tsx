/** Marks the part of a slide on screen as a key image, with a note. */
import { useTranslation } from "react-i18next";
import { SlideRegionInput, type SlideRegion } from "~/features/imaging/slides/slide-region";
import { KeyImageNoteForm } from "~/features/imaging/key-images/key-image-form";

/** Marks the part of the slide on screen as a key image, with a note. */
export function SlideKeyRegionForm({ region }: { region: SlideRegion }) {
  const { t } = useTranslation();
  return (
    <KeyImageNoteForm schema={SlideRegionInput} submitLabel={t("imaging:keyImages.markRegion")}>
      <input type="hidden" name="intent" value="keyRegion" />
      {(["x", "y", "width", "height"] as const).map((field) => (
        <input key={field} type="hidden" name={field} value={region[field]} />
      ))}
    </KeyImageNoteForm>
  );
}
