/** The interface's words in both languages, as unit tests read them: from the bundled resources, with no server. */
import { createInstance, type TFunction } from "i18next";
import { i18nOptions, resources } from "~/i18n/resources";

export async function fixedTranslations(): Promise<{ en: TFunction; zh: TFunction }> {
  const i18n = createInstance();
  await i18n.init({ ...i18nOptions, resources, lng: "en" });
  return { en: i18n.getFixedT("en"), zh: i18n.getFixedT("zh-CN") };
}
