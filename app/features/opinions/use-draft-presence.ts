/** Browser hook: who else has the opinion draft open and which section each is editing; saves by others. */
import { useRevalidator } from "@remix-run/react";
import { useCallback, useEffect, useRef, useState } from "react";
import { io, type Socket } from "socket.io-client";
import type { SectionName } from "~/features/opinions/opinion-content";
import type { DraftClientEvents, DraftEditor, DraftSaved, DraftServerEvents } from "./draft-contracts";

/**
 * Who else has this draft open and which section each is editing; the latest
 * save by someone else per section; the page reloads its data when a section
 * is saved or the draft is signed.
 */
export function useDraftPresence(opinionId: string | null, userId: string) {
  const [editors, setEditors] = useState<DraftEditor[]>([]);
  const [savedByOthers, setSavedByOthers] = useState<Partial<Record<SectionName, DraftSaved>>>({});
  const [connected, setConnected] = useState(false);
  const socketRef = useRef<Socket<DraftServerEvents, DraftClientEvents> | null>(null);
  const editingRef = useRef<SectionName | null>(null);
  const revalidator = useRevalidator();
  const revalidate = useRef(revalidator.revalidate);
  revalidate.current = revalidator.revalidate;

  useEffect(() => {
    if (!opinionId) return;
    const socket: Socket<DraftServerEvents, DraftClientEvents> = io({ withCredentials: true });
    socketRef.current = socket;
    socket.on("connect", () =>
      socket.emit("draft:join", { opinionId }, (reply) => {
        setConnected(reply.ok);
        if (reply.ok && editingRef.current) socket.emit("draft:editing", { opinionId, section: editingRef.current });
      }),
    );
    socket.on("disconnect", () => setConnected(false));
    socket.on("draft:presence", (payload) => {
      if (payload.opinionId === opinionId) setEditors(payload.editors.filter((e) => e.userId !== userId));
    });
    socket.on("draft:saved", (payload) => {
      if (payload.opinionId !== opinionId || payload.byUserId === userId) return;
      setSavedByOthers((all) => ({ ...all, [payload.section]: payload }));
      revalidate.current();
    });
    socket.on("draft:closed", (payload) => {
      if (payload.opinionId === opinionId) revalidate.current();
    });
    return () => {
      socket.emit("draft:leave", { opinionId });
      socket.disconnect();
      socketRef.current = null;
    };
  }, [opinionId, userId]);

  const setEditing = useCallback(
    (section: SectionName | null) => {
      if (!opinionId || editingRef.current === section) return;
      editingRef.current = section;
      socketRef.current?.emit("draft:editing", { opinionId, section });
    },
    [opinionId],
  );

  return { editors, savedByOthers, connected, setEditing };
}
