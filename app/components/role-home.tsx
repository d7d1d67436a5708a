import { useTranslation } from "react-i18next";

/** The shared frame of each role's home page until its content arrives. */
export function RoleHome({ titleKey, introKey, emptyTitleKey, emptyBodyKey }: { titleKey: string; introKey: string; emptyTitleKey: string; emptyBodyKey: string }) {
  const { t } = useTranslation();
  return (
    <section aria-labelledby="home-title">
      <h1 id="home-title">{t(titleKey)}</h1>
      <p className="muted">{t(introKey)}</p>
      <div className="empty-state" role="note">
        <h2>{t(emptyTitleKey)}</h2>
        <p>{t(emptyBodyKey)}</p>
      </div>
    </section>
  );
}
