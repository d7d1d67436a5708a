/** Warns the coordinator of invitees (or treating hospitals) who would join before 07:00 or after 22:00 on their own clock. */
import { useTranslation } from "react-i18next";
import { zoneLabel, type OutOfHours } from "~/features/boards/board-schedule";

/** Who would have to join before 07:00 or after 22:00 on their own clock; the treating hospitals until their physicians are invited. */
export function OutOfHoursWarning({ warnings }: { warnings: OutOfHours[] }) {
  const { t, i18n } = useTranslation();
  if (warnings.length === 0) return null;
  const list = new Intl.ListFormat(i18n.language, { type: "conjunction" });
  return (
    <div className="alert alert-warning" role="note" aria-labelledby="out-of-hours-title">
      <p id="out-of-hours-title">
        <strong>{t("sessions:warnings.title")}</strong>
      </p>
      <ul>
        {warnings.map((w) => (
          <li key={w.timeZone}>
            {t("sessions:warnings.item", {
              zone: zoneLabel(t, w.timeZone),
              start: w.start,
              end: w.end,
              names: list.format(w.treatingHospitals ? [...w.names, t("sessions:warnings.treatingHospitals")] : w.names),
            })}
          </li>
        ))}
      </ul>
    </div>
  );
}
