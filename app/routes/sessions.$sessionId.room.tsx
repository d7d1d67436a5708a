/** /sessions/<id>/room: the live tumor board room, one screen: agenda and people, the shared image, and the case's tabs. */
import type { LoaderFunctionArgs } from "@remix-run/node";
import { Link, useLoaderData, useRevalidator } from "@remix-run/react";
import { useEffect, useState } from "react";
import { useTranslation } from "react-i18next";
import { MeetingJoinLink } from "~/features/boards/meeting-join";
import { BoardCaseTabs } from "~/features/boards/room/board-case-tabs";
import { BoardChairControls } from "~/features/boards/room/board-chair-controls";
import { BoardEnded } from "~/features/boards/room/board-ended";
import { storedSummary } from "~/features/boards/room/board-log";
import { BoardPresence } from "~/features/boards/room/board-presence";
import { BoardViewer } from "~/features/boards/room/board-viewer";
import { agendaNeighbours, roomShortcut, ROOM_SHORTCUT_KEYS } from "~/features/boards/room/room-shortcuts";
import { useBoardRoom } from "~/features/boards/room/use-board-room";
import { loadBoardRoom } from "~/features/boards/room/room-page.server";
import { denyAccess, requireUser } from "~/features/identity/auth.server";
import { requestMeta } from "~/platform/request-meta.server";
import { RoomGlossaryRefusal } from "~/features/boards/room/room-translation";

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const room = await loadBoardRoom({ user, meta: requestMeta(request, context), sessionId: params.sessionId ?? "" });
  if (!room) throw await denyAccess(request, context, user, { sessionId: params.sessionId ?? null }, 404);
  return room;
}

export default function BoardRoom() {
  const { sessionId, title, status: loadedStatus, meeting, me, may, items: loaded } = useLoaderData<typeof loader>();
  const { t } = useTranslation();
  const room = useBoardRoom(sessionId);
  const { revalidate } = useRevalidator();
  const { agendaVersion, send } = room;
  // Reload what the page shows of the cases only when the server says the agenda changed.
  useEffect(() => {
    if (agendaVersion > 0) revalidate();
  }, [agendaVersion, revalidate]);
  // The room's own answer is the latest word on the agenda: a case taken off it disappears at once.
  const items = room.snapshot ? loaded.filter((item) => room.snapshot!.agenda.some((a) => a.id === item.id)) : loaded;
  const status = room.log.status ?? room.snapshot?.status ?? loadedStatus;
  // Once the board ends, the cases have moved on: reload what each reader may now do with their opinions.
  useEffect(() => {
    if (status === "ENDED" && loadedStatus !== "ENDED") revalidate();
  }, [status, loadedStatus, revalidate]);
  const chairId = room.snapshot?.chairId ?? null;
  const coChairId = room.log.coChairId !== undefined ? room.log.coChairId : (room.snapshot?.coChairId ?? null);
  // The server decides what each command may do; the page offers the chair's controls to the chair and their co-chair.
  const isChair = chairId === me.id || coChairId === me.id;
  const presenterId = room.log.presenterId ?? room.snapshot?.presenterId ?? chairId;
  const isPresenter = presenterId === me.id;
  const focusItemId = room.events.some((e) => e.type === "focus") ? room.log.focusItemId : (room.snapshot?.focusItemId ?? null);
  const focused = items.find((item) => item.id === focusItemId) ?? null;
  const live = status === "LIVE";

  const [following, setFollowing] = useState(true);
  useEffect(() => setFollowing(true), [focusItemId]);
  useEffect(() => {
    const onKeyDown = (event: KeyboardEvent) => {
      const target = event.target instanceof HTMLElement ? event.target : null;
      const shortcut = roomShortcut({
        key: event.key,
        altKey: event.altKey,
        ctrlKey: event.ctrlKey,
        metaKey: event.metaKey,
        defaultPrevented: event.defaultPrevented,
        repeat: event.repeat,
        target,
      });
      if (shortcut === "toggleFollow" && !isPresenter && focusItemId) setFollowing((f) => !f);
      else if ((shortcut === "nextCase" || shortcut === "previousCase") && isChair && live) {
        const { previous, next } = agendaNeighbours(items, focusItemId);
        const to = shortcut === "nextCase" ? next : previous;
        if (to) send({ type: "focus", agendaItemId: to.id });
      } else return;
      event.preventDefault();
    };
    document.addEventListener("keydown", onKeyDown);
    return () => document.removeEventListener("keydown", onKeyDown);
  }, [isChair, isPresenter, live, items, focusItemId, send]);

  return (
    <RoomGlossaryRefusal.Provider value={room.glossaryRefusal}>
      <section aria-labelledby="room-title" className="board-room">
        <div className="board-room-bar">
          <Link to={`/sessions/${sessionId}`}>{t("room:backToSession")}</Link>
          <h1 id="room-title">{title}</h1>
          <p role="status" aria-label={t("room:connection.label")} data-connection={room.connection}>
            {t(`room:connection.${room.connection}`)} · {t(`room:status.${status}`)}
            {room.pendingCount > 0 && ` · ${t("room:pending", { count: room.pendingCount })}`}
          </p>
          {meeting && status !== "ENDED" && <MeetingJoinLink meeting={meeting} />}
          {status !== "ENDED" && <RoomShortcutsHelp />}
        </div>
        {room.error && (
          <p className="alert alert-error" role="alert">
            {t(room.error)}
          </p>
        )}
        {status === "ENDED" ? (
          <BoardEnded
            timeZone={me.timeZone}
            items={items.map((item) => ({
              id: item.id,
              caseId: item.caseId,
              caseCode: item.caseCode,
              discussed: item.discussed || room.events.some((e) => e.type === "focus" && e.agendaItemId === item.id),
              summary: room.log.summaries[item.id] ?? storedSummary(item.boardSummary),
              opinionLink: item.caseShown && item.opinionLink,
            }))}
          />
        ) : (
          <div className="board-workspace">
            <aside className="board-aside" aria-label={t("room:agenda.title")}>
              <section aria-labelledby="agenda-title">
                <h2 id="agenda-title">{t("room:agenda.title")}</h2>
                <ol className="board-agenda">
                  {items.map((item) => (
                    <li key={item.id} aria-current={item.id === focusItemId ? "true" : undefined}>
                      {item.caseCode} · {t("room:agenda.minutes", { count: item.minutes })}
                      {item.id === focusItemId && <strong> · {t("room:agenda.now")}</strong>}
                      {isChair && live && item.id !== focusItemId && (
                        <button
                          type="button"
                          className="button-link"
                          onClick={() => send({ type: "focus", agendaItemId: item.id })}
                          aria-label={t("room:agenda.focusNamed", { code: item.caseCode })}
                        >
                          {t("room:agenda.focus")}
                        </button>
                      )}
                    </li>
                  ))}
                </ol>
              </section>
              <BoardPresence participants={room.participants} presenterId={presenterId} chairId={chairId} coChairId={coChairId} />
              {isChair && (
                <BoardChairControls
                  status={status}
                  items={items.map((i) => ({ id: i.id, caseCode: i.caseCode }))}
                  focusItemId={focusItemId}
                  presenterId={presenterId}
                  participants={room.participants}
                  coChair={chairId === me.id ? { id: coChairId } : undefined}
                  send={send}
                />
              )}
            </aside>
            <div className="board-centre">
              {focused && !focused.caseShown ? (
                <>
                  <h2>{t("room:case.title", { code: focused.caseCode })}</h2>
                  <p className="muted">{t("room:case.notShown")}</p>
                </>
              ) : focused ? (
                <>
                  <h2>{t("room:case.title", { code: focused.caseCode })}</h2>
                  <BoardViewer
                    key={focused.id}
                    agendaItemId={focused.id}
                    series={focused.series}
                    keyImages={focused.keyImages}
                    reports={focused.reports}
                    isPresenter={isPresenter && live}
                    view={room.view && room.view.agendaItemId === focused.id ? room.view : null}
                    shareView={room.shareView}
                    following={following}
                    onFollowingChange={setFollowing}
                  />
                </>
              ) : (
                <p className="muted">
                  {live && focusItemId === null && room.events.some((e) => e.type === "focus") ? t("room:focusElsewhere") : t("room:noFocus")}
                </p>
              )}
            </div>
            <div className="board-side">
              {focused && (
                <BoardCaseTabs
                  key={focused.id}
                  item={focused}
                  me={me}
                  isChair={isChair}
                  mayVote={may.vote}
                  maySpeak={may.speak || isChair}
                  mayTranslate={may.translate || isChair}
                  live={live}
                  log={room.log}
                  send={send}
                />
              )}
            </div>
          </div>
        )}
      </section>
    </RoomGlossaryRefusal.Provider>
  );
}

/** The room's keyboard shortcuts, one click away. */
function RoomShortcutsHelp() {
  const { t } = useTranslation();
  return (
    <details className="room-help">
      <summary>{t("room:shortcuts.title")}</summary>
      <div className="room-help-popover">
        <dl>
          {Object.entries(ROOM_SHORTCUT_KEYS).map(([key, shortcut]) => (
            <div key={key}>
              <dt>
                <kbd>{key.toUpperCase()}</kbd>
              </dt>
              <dd>{t(`room:shortcuts.${shortcut}`)}</dd>
            </div>
          ))}
        </dl>
        <p className="muted small">{t("room:shortcuts.typing")}</p>
      </div>
    </details>
  );
}
