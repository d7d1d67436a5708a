/**
 * The server's check of a file de-identified elsewhere (the browser's upload worker): it reads the file with the same profile
 * and lists what still identifies the patient, or shows it was de-identified with another context. It cannot see the
 * originals, so it checks what the profile fixes: no private, overlay or removed attribute; emptied ones empty; dummies,
 * new UIDs and the case code where the profile puts them; and the seal of the case's context.
 */
import { deidentificationSeal, latin1, type DeidContext } from "./deidentify";
import { dictionaryVr, dummyValue, isRegistryUid, profileEntry } from "./deid-profile";
import { tagOf, tagString, type Dataset, type Part10 } from "./part10";

export type DeidProblem = { kind: "identifying" | "otherContext"; tag: string; detail: string };

const PATIENT_NAME = tagOf(0x0010, 0x0010);
const PATIENT_ID = tagOf(0x0010, 0x0020);
const SOP_INSTANCE = tagOf(0x0008, 0x0018);
const IDENTITY_REMOVED = tagOf(0x0012, 0x0062);
const METHOD = tagOf(0x0012, 0x0063);
// Written by de-identification itself, after the profile has run.
const ADDED = new Set([PATIENT_NAME, PATIENT_ID, IDENTITY_REMOVED, METHOD, tagOf(0x0012, 0x0064), tagOf(0x0028, 0x0303)]);
const NEW_UID = /^2\.25\.\d{1,39}$/;

const valueOf = (bytes: Uint8Array) => latin1(bytes).replace(/[\0 ]+$/, "");

function check(dataset: Dataset, problems: DeidProblem[], depth: number) {
  for (const element of dataset) {
    if (depth === 0 && ADDED.has(element.tag)) continue;
    const vr = element.vr === "UN" ? dictionaryVr(element.tag) : element.vr;
    const { action, name } = profileEntry(element.tag, vr);
    const problem = (detail: string) => problems.push({ kind: "identifying", tag: tagString(element.tag), detail: `${name}: ${detail}` });
    if (action === "X") {
      problem("present, but the profile removes it");
      continue;
    }
    if (element.items) {
      if (action === "Z" && element.items.length > 0) problem("a sequence the profile empties has items");
      for (const item of element.items) check(item, problems, depth + 1);
      continue;
    }
    if (!element.value || element.fragments || element.value.length === 0) continue;
    const value = valueOf(element.value);
    if (action === "Z" && value !== "") problem("not empty");
    else if (vr === "UI" && (action === "U" || action === "D")) {
      if (value.split("\\").some((uid) => uid !== "" && !isRegistryUid(uid) && !NEW_UID.test(uid))) problem("a UID that was not replaced");
    } else if (action === "D" && vr !== "SQ" && !vr.startsWith("O") && vr !== "UN" && value !== dummyValue(vr)) problem("not the dummy value");
  }
}

/** Everything about the file that de-identification with `ctx` would not have left; empty when the file is as the case's context makes it. */
export function deidentificationProblems(file: Part10, ctx: Pick<DeidContext, "caseCode" | "uidSecret">): DeidProblem[] {
  const problems: DeidProblem[] = [];
  check(file.dataset, problems, 0);
  const top = (tag: number) => {
    const value = file.dataset.find((e) => e.tag === tag)?.value;
    return value ? valueOf(value) : "";
  };
  for (const tag of [PATIENT_NAME, PATIENT_ID]) {
    if (top(tag) !== ctx.caseCode) problems.push({ kind: "otherContext", tag: tagString(tag), detail: "not the case code" });
  }
  if (top(IDENTITY_REMOVED) !== "YES") problems.push({ kind: "identifying", tag: tagString(IDENTITY_REMOVED), detail: "Patient Identity Removed is not YES" });
  const seal = top(METHOD).split("\\")[1] ?? "";
  if (seal !== deidentificationSeal(ctx, top(SOP_INSTANCE))) {
    problems.push({ kind: "otherContext", tag: tagString(METHOD), detail: "not de-identified with this case's context" });
  }
  return problems;
}
