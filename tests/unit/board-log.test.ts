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
    expect(log).toMatchObject({ status: "ENDED", focusItemId: null, presenterId: "u2", summaries: { "item-2": { seq: 4, text: "Agreed.", language: "en" } } });
  });

  it("gives a message, a vote and a summary the latest translation made of them, with who made it and when", () => {
    const log = foldBoardLog([
      event(1, "chat", { body: "是否需要脑部MRI？", language: "zh-CN" }, "item-1", "physician"),
      event(2, "poll.open", { question: "Osimertinib first line?", options: ["yes", "no"] }),
      event(3, "summary", { text: "Osimertinib first line." }),
      event(4, "translate", { eventSeq: 1, text: "Is a brain MRI needed?", sourceLanguage: "zh-CN" }, "item-1", "interpreter"),
      event(5, "translate", { eventSeq: 1, text: "Does the patient need a brain MRI?" }, "item-1", "chair"),
      event(6, "translate", { eventSeq: 2, text: "一线使用奥希替尼？", options: ["是", "否"] }, "item-1", "interpreter"),
      event(7, "translate", { eventSeq: 3, text: "一线奥希替尼。" }, "item-1", "interpreter"),
    ]);
    expect(log.chat["item-1"][0]).toMatchObject({
      language: "zh-CN",
      body: "是否需要脑部MRI？",
      translation: { text: "Does the patient need a brain MRI?", byName: "chair", at: "2026-11-26T00:00:00.000Z" },
    });
    expect(log.polls[0]).toMatchObject({ language: "en", translation: { text: "一线使用奥希替尼？", options: ["是", "否"], byName: "interpreter" } });
    expect(log.summaries["item-1"]).toMatchObject({ language: "en", translation: { text: "一线奥希替尼。" } });
  });

  it("drops a summary's translation when the summary changes, keeps it when the same words are saved again, and ignores a translation of an older text", () => {
    const base = [event(1, "summary", { text: "Agreed." }), event(2, "translate", { eventSeq: 1, text: "同意。" }, "item-1", "interpreter")];
    expect(foldBoardLog([...base, event(3, "summary", { text: "Agreed." })]).summaries["item-1"].translation?.text).toBe("同意。");
    const changed = foldBoardLog([...base, event(3, "summary", { text: "Agreed, with MRI." })]);
    expect(changed.summaries["item-1"]).toMatchObject({ seq: 3, text: "Agreed, with MRI.", translation: null });
    const late = foldBoardLog([...base, event(3, "summary", { text: "Agreed, with MRI." }), event(4, "translate", { eventSeq: 1, text: "同意。" })]);
    expect(late.summaries["item-1"].translation).toBeNull();
  });

  it("ignores a translation of a vote whose options it does not all translate, and one about another agenda item", () => {
    const log = foldBoardLog([
      event(1, "poll.open", { question: "Agree?", options: ["yes", "no"] }),
      event(2, "chat", { body: "OK", language: "en" }),
      event(3, "translate", { eventSeq: 1, text: "同意吗？", options: ["是"] }),
      event(4, "translate", { eventSeq: 2, text: "好" }, "item-2"),
    ]);
    expect(log.polls[0].translation).toBeNull();
    expect(log.chat["item-1"][0].translation).toBeNull();
  });

  it("takes a message's language as declared, and a vote's or summary's as detected from its words", () => {
    const log = foldBoardLog([
      event(1, "chat", { body: "EGFR", language: "zh-CN" }),
      event(2, "poll.open", { question: "一线治疗？", options: ["A", "B"] }),
      event(3, "summary", { text: "Agreed." }),
    ]);
    expect(log.chat["item-1"][0].language).toBe("zh-CN");
    expect(log.polls[0].language).toBe("zh-CN");
    expect(log.summaries["item-1"].language).toBe("en");
  });
});
