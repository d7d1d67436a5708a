import { useTranslation } from "react-i18next";
import { useRealtime } from "~/realtime/use-realtime";

const STATUS_KEYS = {
  connecting: "common:realtime.connecting",
  connected: "common:realtime.connected",
  disconnected: "common:realtime.disconnected",
} as const;

export function RealtimeIndicator() {
  const { t } = useTranslation();
  const { status, notifications } = useRealtime(true);
  return (
    <div className="realtime">
      <span className={`realtime-status realtime-${status}`} role="status" data-status={status}>
        {t(STATUS_KEYS[status])}
      </span>
      {notifications.length > 0 && (
        <ul className="notifications" aria-label={t("common:realtime.notifications")}>
          {notifications.map((n) => (
            <li key={n.id}>{t(n.messageKey)}</li>
          ))}
        </ul>
      )}
    </div>
  );
}
