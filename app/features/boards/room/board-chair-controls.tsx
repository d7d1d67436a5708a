/** The chair's controls in the live room: start and end the board, move from case to case, hand the presenter role on. */
import { useId, useState } from "react";
import { useTranslation } from "react-i18next";
import { coChairCandidate, presenterCandidate } from "~/features/boards/board-access";
import type { BoardCommand, BoardParticipant } from "~/features/boards/room/board-contracts";
import { agendaNeighbours } from "./room-shortcuts";

type Props = {
  status: string;
  items: { id: string; caseCode: string }[];
  focusItemId: string | null;
  presenterId: string | null;
  participants: BoardParticipant[];
  /** Set for the chair alone, who may make an observing coordinator co-chair. */
  coChair?: { id: string | null };
  send: (command: BoardCommand) => void;
};

/** The chair starts and ends the board, moves from case to case, and hands the presenter role on. */
export function BoardChairControls({ status, items, focusItemId, presenterId, participants, coChair, send }: Props) {
  const { t } = useTranslation();
  const id = useId();
  const [nextPresenter, setNextPresenter] = useState("");
  const [nextCoChair, setNextCoChair] = useState("");
  const observers = participants.filter((p) => coChairCandidate(p) && p.userId !== coChair?.id);
  const coChairName = coChair?.id ? (participants.find((p) => p.userId === coChair.id)?.name ?? "") : null;
  const { previous, next } = agendaNeighbours(items, focusItemId);
  const candidates = participants.filter((p) => presenterCandidate(p) && p.userId !== presenterId);
  if (status !== "SCHEDULED" && status !== "LIVE") return null;
  return (
    <section aria-labelledby={`${id}-title`} className="board-chair">
      <h2 id={`${id}-title`}>{t("room:chair.title")}</h2>
      {status === "SCHEDULED" && (
        <button type="button" onClick={() => send({ type: "start" })}>
          {t("room:chair.start")}
        </button>
      )}
      {coChair && (status === "SCHEDULED" || status === "LIVE") && (
        <div className="field">
          {coChairName !== null && (
            <p>
              {t("room:chair.coChairIs", { name: coChairName })}{" "}
              <button type="button" className="button-link" onClick={() => send({ type: "cochair", userId: null })}>
                {t("room:chair.coChairRevoke")}
              </button>
            </p>
          )}
          {observers.length > 0 && (
            <>
              <label htmlFor={`${id}-cochair`}>{t("room:chair.coChair")}</label>
              <select id={`${id}-cochair`} value={nextCoChair} onChange={(e) => setNextCoChair(e.currentTarget.value)}>
                <option value="">{t("room:chair.choose")}</option>
                {observers.map((p) => (
                  <option key={p.userId} value={p.userId}>
                    {p.name}
                  </option>
                ))}
              </select>
              <button type="button" className="button-secondary" disabled={!nextCoChair} onClick={() => send({ type: "cochair", userId: nextCoChair })}>
                {t("room:chair.coChairAppoint")}
              </button>
            </>
          )}
        </div>
      )}
      {status === "LIVE" && (
        <>
          <div className="button-row">
            <button
              type="button"
              className="button-secondary"
              disabled={!previous}
              onClick={() => previous && send({ type: "focus", agendaItemId: previous.id })}
            >
              {t("room:chair.previous")}
            </button>
            <button type="button" disabled={!next} onClick={() => next && send({ type: "focus", agendaItemId: next.id })}>
              {t("room:chair.next")}
            </button>
          </div>
          <div className="field">
            <label htmlFor={`${id}-presenter`}>{t("room:chair.presenter")}</label>
            <select id={`${id}-presenter`} value={nextPresenter} onChange={(e) => setNextPresenter(e.currentTarget.value)}>
              <option value="">{t("room:chair.choose")}</option>
              {candidates.map((p) => (
                <option key={p.userId} value={p.userId}>
                  {p.name}
                </option>
              ))}
            </select>
            <button type="button" className="button-secondary" disabled={!nextPresenter} onClick={() => send({ type: "presenter", userId: nextPresenter })}>
              {t("room:chair.handOver")}
            </button>
          </div>
          <button
            type="button"
            className="button-danger"
            onClick={() => {
              if (window.confirm(t("room:chair.endConfirm"))) send({ type: "end" });
            }}
          >
            {t("room:chair.end")}
          </button>
        </>
      )}
    </section>
  );
}
