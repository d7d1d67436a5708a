/** /sessions/<id>/room: the live tumor board room. */
import type { LoaderFunctionArgs } from "@remix-run/node";
import { Link, useLoaderData, useRevalidator } from "@remix-run/react";
import { useEffect } from "react";
import { useTranslation } from "react-i18next";
import { BoardCasePanel } from "~/features/boards/room/board-case-panel";
import { BoardChairControls } from "~/features/boards/room/board-chair-controls";
import { BoardPresence } from "~/features/boards/room/board-presence";
import { useBoardRoom } from "~/features/boards/room/use-board-room";
import { loadBoardRoom } from "~/features/boards/room/room-page.server";
import { denyAccess, requireUser } from "~/features/identity/auth.server";
import { requestMeta } from "~/platform/request-meta.server";

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const room = await loadBoardRoom({ user, meta: requestMeta(request, context), sessionId: params.sessionId ?? "" });
  if (!room) throw await denyAccess(request, context, user, { sessionId: params.sessionId ?? null }, 404);
  return room;
}

export default function BoardRoom() {
  const { sessionId, title, me, items: loaded } = useLoaderData<typeof loader>();
  const { t } = useTranslation();
  const room = useBoardRoom(sessionId);
  const { revalidate } = useRevalidator();
  const { agendaVersion } = room;
  // Reload what the page shows of the cases only when the server says the agenda changed.
  useEffect(() => {
    if (agendaVersion > 0) revalidate();
  }, [agendaVersion, revalidate]);
  // The room's own answer is the latest word on the agenda: a case taken off it disappears at once.
  const items = room.snapshot ? loaded.filter((item) => room.snapshot!.agenda.some((a) => a.id === item.id)) : loaded;
  const status = room.log.status ?? room.snapshot?.status ?? "SCHEDULED";
  const chairId = room.snapshot?.chairId ?? null;
  const presenterId = room.log.presenterId ?? room.snapshot?.presenterId ?? chairId;
  const focusItemId = room.events.some((e) => e.type === "focus") ? room.log.focusItemId : (room.snapshot?.focusItemId ?? null);
  const focused = items.find((item) => item.id === focusItemId) ?? null;
  const coChairId = room.log.coChairId !== undefined ? room.log.coChairId : (room.snapshot?.coChairId ?? null);
  // The server decides what each command may do; the page offers the chair's controls to the chair and their co-chair.
  const isChair = chairId === me.id || coChairId === me.id;
  return (
    <section aria-labelledby="room-title" className="board-room">
      <p>
        <Link to={`/sessions/${sessionId}`}>{t("room:backToSession")}</Link>
      </p>
      <h1 id="room-title">{title}</h1>
      <p role="status" aria-label={t("room:connection.label")} data-connection={room.connection}>
        {t(`room:connection.${room.connection}`)} · {t(`room:status.${status}`)}
        {room.pendingCount > 0 && ` · ${t("room:pending", { count: room.pendingCount })}`}
      </p>
      {room.error && (
        <p className="alert alert-error" role="alert">
          {t(room.error)}
        </p>
      )}
      <div className="board-layout">
        <aside className="board-aside">
          <BoardPresence participants={room.participants} presenterId={presenterId} chairId={chairId} coChairId={coChairId} />
          <section aria-labelledby="agenda-title">
            <h2 id="agenda-title">{t("room:agenda.title")}</h2>
            <ol className="board-agenda">
              {items.map((item) => (
                <li key={item.id} aria-current={item.id === focusItemId ? "true" : undefined}>
                  {item.caseCode} · {t("room:agenda.minutes", { count: item.minutes })}
                  {item.id === focusItemId && <strong> · {t("room:agenda.now")}</strong>}
                  {isChair && status === "LIVE" && item.id !== focusItemId && (
                    <button
                      type="button"
                      className="button-link"
                      onClick={() => room.send({ type: "focus", agendaItemId: item.id })}
                      aria-label={t("room:agenda.focusNamed", { code: item.caseCode })}
                    >
                      {t("room:agenda.focus")}
                    </button>
                  )}
                </li>
              ))}
            </ol>
          </section>
          {isChair && (
            <BoardChairControls
              status={status}
              items={items.map((i) => ({ id: i.id, caseCode: i.caseCode }))}
              focusItemId={focusItemId}
              presenterId={presenterId}
              participants={room.participants}
              coChair={chairId === me.id ? { id: coChairId } : undefined}
              send={room.send}
            />
          )}
        </aside>
        <div className="board-main">
          {focused ? (
            <BoardCasePanel
              key={focused.id}
              item={focused}
              me={me}
              isChair={isChair}
              isPresenter={presenterId === me.id}
              live={status === "LIVE"}
              log={room.log}
              view={room.view && room.view.agendaItemId === focused.id ? room.view : null}
              send={room.send}
              shareView={room.shareView}
            />
          ) : (
            <p className="muted">
              {status === "LIVE" && focusItemId === null && room.events.some((e) => e.type === "focus") ? t("room:focusElsewhere") : t("room:noFocus")}
            </p>
          )}
        </div>
      </div>
    </section>
  );
}
