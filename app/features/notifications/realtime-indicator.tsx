/** The header's live connection state and unread count, with notifications arriving live. */
import { Link } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { isStoredNotificationKind, notificationMessage, type LiveNotification } from "~/features/notifications/notifications";
import { useRealtime } from "~/realtime/use-realtime";

const STATUS_KEYS = {
  connecting: "common:realtime.connecting",
  connected: "common:realtime.connected",
  disconnected: "common:realtime.disconnected",
} as const;

/**
 * The live connection's state and the notifications link. Stored
 * notifications (listed on /notifications) raise the unread count as they
 * arrive and are announced to screen readers; live-only ones show in a popup.
 */
export function RealtimeIndicator({ unread, timeZone }: { unread: { unread: number; asOf: string } | null; timeZone: string }) {
  const { t, i18n } = useTranslation();
  const { status, notifications } = useRealtime(true);
  const stored = notifications.filter((n) => isStoredNotificationKind(n.kind));
  const transient = notifications.filter((n) => !isStoredNotificationKind(n.kind));
  const arrived = unread ? stored.filter((n) => n.createdAt > unread.asOf).length : 0;
  const count = (unread?.unread ?? 0) + arrived;
  const message = (n: LiveNotification) => notificationMessage(t, n, { language: i18n.language, zones: [timeZone] });
  return (
    <div className="realtime">
      <span className={`realtime-status realtime-${status}`} role="status" data-status={status}>
        <span className="realtime-word">{t(STATUS_KEYS[status])}</span>
      </span>
      {unread && (
        <Link to="/notifications" className="notifications-link" aria-label={t("common:notifications.linkLabel", { count })}>
          <svg className="bell-icon" viewBox="0 0 16 16" aria-hidden="true">
            <path d="M8 1.5a4.5 4.5 0 0 0-4.5 4.5v3L2 11.5h12L12.5 9V6A4.5 4.5 0 0 0 8 1.5Zm-2 11a2 2 0 0 0 4 0Z" />
          </svg>
          <span className="notifications-word">{t("common:notifications.title")}</span>
          {count > 0 && (
            <span className="count-badge" aria-hidden="true">
              {count}
            </span>
          )}
        </Link>
      )}
      <p className="visually-hidden" aria-live="polite">
        {stored[0] ? message(stored[0]) : ""}
      </p>
      {transient.length > 0 && (
        <ul className="notifications" aria-label={t("common:realtime.notifications")}>
          {transient.map((n) => (
            <li key={n.id}>{message(n)}</li>
          ))}
        </ul>
      )}
    </div>
  );
}
