import { describe, expect, it } from "vitest";
import { foldBoardLog, mergeEvents } from "~/features/boards/room/board-log";
import type { BoardEvent } from "~/features/boards/room/board-contracts";

const event = (
  seq: number,
  type: BoardEvent["type"],
  payload: Record<string, unknown> = {},
  agendaItemId: string | null = "item-1",
  actorId = "chair",
): BoardEvent => ({
  seq,
  type,
  agendaItemId,
  actorId,
  actorName: actorId,
  payload,
  createdAt: "2026-11-26T00:00:00.000Z",
});

describe("the board log", () => {
  it("merges a replay that overlaps what was already received, in sequence order, each event once", () => {
    const merged = mergeEvents(
      [event(1, "start", {}, null), event(3, "chat", { body: "b", language: "en" })],
      [event(2, "chat", { body: "a", language: "en" }), event(3, "chat", { body: "b", language: "en" })],
    );
    expect(merged.map((e) => e.seq)).toEqual([1, 2, 3]);
    expect(foldBoardLog(merged).chat["item-1"].map((c) => c.body)).toEqual(["a", "b"]);
  });

  it("counts each participant's latest vote, and none after the poll closes", () => {
    const log = foldBoardLog([
      event(1, "start", {}, null),
      event(2, "poll.open", { question: "Agree?", options: ["yes", "no", "abstain"] }),
      event(3, "poll.vote", { pollSeq: 2, option: 1 }, "item-1", "a"),
      event(4, "poll.vote", { pollSeq: 2, option: 0 }, "item-1", "b"),
      event(5, "poll.vote", { pollSeq: 2, option: 0 }, "item-1", "a"),
      event(6, "poll.close", { pollSeq: 2 }),
      event(7, "poll.vote", { pollSeq: 2, option: 2 }, "item-1", "c"),
    ]);
    expect(log.polls[0]).toMatchObject({ open: false, tally: [2, 0, 0] });
  });

  it("follows focus, presenter, summary and the session's status", () => {
    const log = foldBoardLog([
      event(1, "start", {}, null),
      event(2, "focus", {}, "item-2"),
      event(3, "presenter", { userId: "u2" }, null),
      event(4, "summary", { text: "Agreed." }, "item-2"),
      event(5, "focus", {}, null),
      event(6, "end", {}, null),
    ]);
    expect(log).toMatchObject({ status: "ENDED", focusItemId: null, presenterId: "u2", summaries: { "item-2": "Agreed." } });
  });
});
