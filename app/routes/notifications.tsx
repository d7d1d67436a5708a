import { data, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { Form, Link, useLoaderData, useNavigation } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { counterpartZone } from "~/features/boards/board-schedule";
import { isSessionNotificationKind, NOTIFICATION_MESSAGE_KEYS, parseNotificationParams, sessionPath, type NotificationParams } from "~/features/notifications/notifications";
import { isOpinionNotificationKind, OPINION_NOTIFICATION_MESSAGE_KEYS, opinionPath } from "~/features/opinions/opinion-notifications";
import { listNotifications, markNotificationsRead } from "~/features/notifications/notification-store.server";
import { requirePermission } from "~/features/identity/auth.server";
import { getDb } from "~/platform/db.server";
import { formatDateTime, formatStartOnClocks } from "~/ui/format";

type NotificationItem = { id: string; messageKey: string; params: NotificationParams | null; zones: string[]; href: string | null; createdAt: string; read: boolean };

export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = await requirePermission(request, context, "notifications.receive");
  const db = getDb();
  const rows = await listNotifications(db, user.id);
  const sessionIds = [...new Set(rows.flatMap((row) => (row.sessionId ? [row.sessionId] : [])))];
  const chairs = await db.boardSession.findMany({ where: { id: { in: sessionIds } }, select: { id: true, chair: { select: { timeZone: true } } } });
  const chairZone = new Map(chairs.map((s) => [s.id, s.chair.timeZone]));
  return {
    timeZone: user.timeZone,
    notifications: rows.flatMap((row): NotificationItem[] => {
      if (isOpinionNotificationKind(row.kind) && row.caseId) {
        const params: NotificationParams | null = null;
        const zones: string[] = [];
        return [{ id: row.id, messageKey: OPINION_NOTIFICATION_MESSAGE_KEYS[row.kind], params, zones, href: opinionPath(row.caseId), createdAt: row.createdAt.toISOString(), read: row.readAt !== null }];
      }
      const params: NotificationParams | null = parseNotificationParams(row.params);
      if (!isSessionNotificationKind(row.kind) || !params) return [];
      // A link only where the session is still theirs to open.
      const linked = row.sessionId && row.kind !== "sessionUninvited";
      const otherZone = counterpartZone(user.timeZone, [chairZone.get(row.sessionId ?? "") ?? "UTC"]);
      return [
        {
          id: row.id,
          messageKey: NOTIFICATION_MESSAGE_KEYS[row.kind],
          params,
          zones: otherZone ? [user.timeZone, otherZone] : [user.timeZone],
          href: linked ? sessionPath(row.sessionId!) : null,
          createdAt: row.createdAt.toISOString(),
          read: row.readAt !== null,
        },
      ];
    }),
  };
}

export async function action({ request, context }: ActionFunctionArgs) {
  const user = await requirePermission(request, context, "notifications.receive");
  const form = await request.formData();
  const intent = form.get("intent");
  if (intent === "markAllRead") return { marked: await markNotificationsRead(getDb(), user.id, "all") };
  if (intent === "markRead") return { marked: await markNotificationsRead(getDb(), user.id, [String(form.get("id") ?? "")]) };
  return data({ marked: 0 }, { status: 400 });
}

export default function NotificationsPage() {
  const { notifications, timeZone } = useLoaderData<typeof loader>();
  const navigation = useNavigation();
  const { t, i18n } = useTranslation();
  const unread = notifications.filter((n) => !n.read).length;
  return (
    <section aria-labelledby="notifications-title" className="narrow">
      <header className="page-heading">
        <h1 id="notifications-title">{t("common:notifications.title")}</h1>
        {unread > 0 && (
          <Form method="post">
            <button type="submit" name="intent" value="markAllRead" className="button-secondary" disabled={navigation.state !== "idle"}>
              {t("common:notifications.markAllRead")}
            </button>
          </Form>
        )}
      </header>
      {notifications.length === 0 ? (
        <p className="empty-state">{t("common:notifications.empty")}</p>
      ) : (
        <ul className="notification-list">
          {notifications.map((n) => {
            const message = n.params ? t(n.messageKey, { title: n.params.title, time: formatStartOnClocks(t, n.params.startsAt, i18n.language, n.zones) }) : t(n.messageKey);
            return (
              <li key={n.id} className={n.read ? "notification read" : "notification unread"}>
                <p>
                  {!n.read && <span className="badge">{t("common:notifications.unread")}</span>} {n.href ? <Link to={n.href}>{message}</Link> : message}
                </p>
                <p className="muted small">{t("common:notifications.received", { time: formatDateTime(n.createdAt, i18n.language, timeZone) })}</p>
                {!n.read && (
                  <Form method="post">
                    <input type="hidden" name="id" value={n.id} />
                    <button type="submit" name="intent" value="markRead" className="button-link" aria-label={t("common:notifications.markReadNamed", { message })} disabled={navigation.state !== "idle"}>
                      {t("common:notifications.markRead")}
                    </button>
                  </Form>
                )}
              </li>
            );
          })}
        </ul>
      )}
    </section>
  );
}
