/** Browser hook: watches a case's room for comments others post while the page is open. */
import { useEffect, useState } from "react";
import { io, type Socket } from "socket.io-client";
import type { CaseClientEvents, CaseServerEvents, LiveCaseComment } from "./case-contracts";

/** Comments others post on this case while the page is open. */
export function useLiveCaseComments(caseId: string) {
  const [live, setLive] = useState<LiveCaseComment[]>([]);
  const [watching, setWatching] = useState(false);
  useEffect(() => {
    const socket: Socket<CaseServerEvents, CaseClientEvents> = io({ withCredentials: true });
    const watch = () => socket.emit("case:watch", { caseId }, (reply) => setWatching(reply.ok));
    socket.on("connect", watch);
    socket.on("disconnect", () => setWatching(false));
    socket.on("case:comment", (comment) => {
      if (comment.caseId === caseId) setLive((list) => (list.some((c) => c.id === comment.id) ? list : [...list, comment]));
    });
    return () => {
      socket.disconnect();
    };
  }, [caseId]);
  return { live, watching };
}
