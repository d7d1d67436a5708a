/** On the case page: the tumor boards the case was put before, and what each concluded. */
import { Link } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import type { SessionStatus } from "~/features/boards/board-access";
import { SESSION_STATUS_LABEL_KEYS } from "~/features/boards/board-schedule";
import { formatDateTime } from "~/ui/format";

type CaseBoard = {
  id: string;
  boardSummary: string | null;
  session: { id: string; title: string; startsAt: string | Date; status: SessionStatus };
};

/** The tumor boards a case was put before, and what each board concluded. */
export function CaseBoards({ boards, timeZone }: { boards: CaseBoard[]; timeZone: string }) {
  const { t, i18n } = useTranslation();
  if (boards.length === 0) return null;
  return (
    <section className="section" aria-labelledby="boards-title">
      <h2 id="boards-title">{t("sessions:caseBoards.title")}</h2>
      <ul className="case-boards">
        {boards.map((board) => (
          <li key={board.id}>
            <Link to={`/sessions/${board.session.id}`}>{board.session.title}</Link> — {formatDateTime(board.session.startsAt, i18n.language, timeZone)}{" "}
            <span className={`badge session-${board.session.status}`}>{t(SESSION_STATUS_LABEL_KEYS[board.session.status])}</span>
            {board.boardSummary && (
              <div className="board-summary">
                <p className="lang-label">{t("sessions:caseBoards.summary")}</p>
                <p className="narrative-text">{board.boardSummary}</p>
              </div>
            )}
          </li>
        ))}
      </ul>
    </section>
  );
}
