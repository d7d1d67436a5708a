/** Who is in the live room, with their role and the time where they are. */
import { useEffect, useState } from "react";
import { useTranslation } from "react-i18next";
import type { BoardParticipant } from "~/features/boards/room/board-contracts";
import { isRole, ROLE_LABEL_KEYS } from "~/features/identity/roles";
import { formatClock } from "~/ui/format";

/** Who is in the room, with their role and the time where they are. */
export function BoardPresence({
  participants,
  presenterId,
  chairId,
  coChairId,
}: {
  participants: BoardParticipant[];
  presenterId: string | null;
  chairId: string | null;
  coChairId: string | null;
}) {
  const { t, i18n } = useTranslation();
  const [now, setNow] = useState(() => new Date());
  useEffect(() => {
    const timer = setInterval(() => setNow(new Date()), 30_000);
    return () => clearInterval(timer);
  }, []);
  return (
    <section aria-labelledby="presence-title">
      <h2 id="presence-title">{t("room:presence.title", { count: participants.length })}</h2>
      <ul className="board-presence">
        {participants.map((p) => (
          <li key={p.userId}>
            {p.name} · {isRole(p.role) ? t(ROLE_LABEL_KEYS[p.role]) : p.role}
            {p.userId === chairId && ` · ${t("room:presence.chair")}`}
            {p.userId === coChairId && ` · ${t("room:presence.coChair")}`}
            {p.kind === "OBSERVER" && p.userId !== coChairId && ` · ${t("room:presence.observer")}`}
            {p.userId === presenterId && ` · ${t("room:presence.presenter")}`}
            <span className="muted small"> · {t("room:presence.localTime", { time: formatClock(now, i18n.language, p.timeZone) })}</span>
          </li>
        ))}
      </ul>
    </section>
  );
}
