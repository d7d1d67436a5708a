/** Browser hook: one Socket.IO connection per signed-in page, carrying the user's live notifications. */
import { useEffect, useState } from "react";
import { io, type Socket } from "socket.io-client";
import type { ClientToServerEvents, LiveNotification, ServerToClientEvents } from "./contracts";

export type RealtimeStatus = "connecting" | "connected" | "disconnected";

/** One Socket.IO connection per signed-in page; carries the user's live notifications. */
export function useRealtime(enabled: boolean) {
  const [status, setStatus] = useState<RealtimeStatus>("connecting");
  const [notifications, setNotifications] = useState<LiveNotification[]>([]);

  useEffect(() => {
    if (!enabled) return;
    const socket: Socket<ServerToClientEvents, ClientToServerEvents> = io({ withCredentials: true });
    socket.on("connect", () => setStatus("connected"));
    socket.on("disconnect", () => setStatus("disconnected"));
    socket.on("connect_error", () => setStatus("disconnected"));
    socket.on("notification", (notification) => setNotifications((list) => [notification, ...list].slice(0, 20)));
    return () => {
      socket.disconnect();
    };
  }, [enabled]);

  return { status, notifications };
}
