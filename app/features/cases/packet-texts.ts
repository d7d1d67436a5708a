/**
 * The packet's short free texts: what the physician typed beside a code or instead of one (the site and histology as
 * written, why the case is urgent, a biomarker's specimen and note, a treatment line's regimen and why it stopped).
 * Each is translated like the other texts that cross sides, as one `TextTranslation` of kind PACKET_FIELD keyed by the
 * row it is stored in (the case for the case's own fields) and the field's name. Pure.
 */
import { subjectKey, type TextSubject, type Translation } from "~/features/translation/translated-text";

/** Each short free text of the packet and the row that holds it. */
export const PACKET_TEXT_FIELDS = {
  primarySite: "case",
  histology: "case",
  urgencyReason: "case",
  specimen: "biomarker",
  note: "biomarker",
  regimen: "treatmentLine",
  reasonStopped: "treatmentLine",
} as const;
export type PacketTextField = keyof typeof PACKET_TEXT_FIELDS;
export type PacketTextRow = (typeof PACKET_TEXT_FIELDS)[PacketTextField];

const isPacketTextField = (value: string): value is PacketTextField => Object.hasOwn(PACKET_TEXT_FIELDS, value);

export const packetTextSubject = (rowId: string, field: PacketTextField): TextSubject => ({ type: "PACKET_FIELD", id: `${rowId}.${field}` });

/** The row and field a PACKET_FIELD subject names; null for anything else. */
export function packetTextOf(subjectId: string): { rowId: string; field: PacketTextField } | null {
  const dot = subjectId.lastIndexOf(".");
  const rowId = subjectId.slice(0, dot);
  const field = subjectId.slice(dot + 1);
  return dot > 0 && isPacketTextField(field) ? { rowId, field } : null;
}

/** A stored packet, or the part of it a page shows (a list: the site and histology). */
type StoredPacket = {
  id: string;
  primarySite?: string | null;
  histology?: string | null;
  urgencyReason?: string | null;
  biomarkers?: readonly { id: string; specimen: string | null; note: string | null }[];
  treatmentLines?: readonly { id: string; regimen: string | null; reasonStopped: string | null }[];
};

/** Every short free text a stored packet (or the part given) holds, as the subject its translation is kept under. */
export function packetTexts(packet: StoredPacket): { subject: TextSubject; text: string }[] {
  const texts: [string, PacketTextField, string | null | undefined][] = [
    [packet.id, "primarySite", packet.primarySite],
    [packet.id, "histology", packet.histology],
    [packet.id, "urgencyReason", packet.urgencyReason],
    ...(packet.biomarkers ?? []).flatMap((b): [string, PacketTextField, string | null][] => [
      [b.id, "specimen", b.specimen],
      [b.id, "note", b.note],
    ]),
    ...(packet.treatmentLines ?? []).flatMap((l): [string, PacketTextField, string | null][] => [
      [l.id, "regimen", l.regimen],
      [l.id, "reasonStopped", l.reasonStopped],
    ]),
  ];
  return texts.flatMap(([rowId, field, text]) => (text?.trim() ? [{ subject: packetTextSubject(rowId, field), text }] : []));
}

/** The current translation of one of the packet's texts, from those the loader found (keyed by `subjectKey`). */
export const packetTranslation = (translations: Readonly<Record<string, Translation>>, rowId: string, field: PacketTextField): Translation | null =>
  translations[subjectKey(packetTextSubject(rowId, field))] ?? null;

/** A text of a biomarker or treatment line as saved: its row, the row's place in the packet, the field, and the SHA-256 of the text. */
export type RowText = { rowId: string; position: number; field: PacketTextField; sha256: string };

/**
 * Biomarkers and treatment lines are written anew on every save, so their texts' translations would be lost with their
 * old rows. Each translation follows its original instead: to the new row holding the same field with the text it
 * translates (the row at the same place first), each new text taking at most one. A translation whose text is gone, or
 * changed, goes with its row. The case's own fields keep their key, so their translations simply stop counting while
 * the text differs.
 */
export function carriedRowTranslations(
  translations: readonly { id: string; subjectId: string; originalSha256: string }[],
  before: readonly { rowId: string; position: number }[],
  after: readonly RowText[],
): { moved: { id: string; subjectId: string }[]; dropped: string[] } {
  const positionBefore = new Map(before.map((row) => [row.rowId, row.position]));
  const taken = new Set<RowText>();
  const moved: { id: string; subjectId: string }[] = [];
  const dropped: string[] = [];
  for (const translation of translations) {
    const of = packetTextOf(translation.subjectId);
    if (!of || PACKET_TEXT_FIELDS[of.field] === "case") continue;
    const candidates = after.filter((text) => text.field === of.field && text.sha256 === translation.originalSha256 && !taken.has(text));
    const target = candidates.find((text) => text.position === positionBefore.get(of.rowId)) ?? candidates[0];
    if (!target) {
      dropped.push(translation.id);
      continue;
    }
    taken.add(target);
    moved.push({ id: translation.id, subjectId: packetTextSubject(target.rowId, target.field).id });
  }
  return { moved, dropped };
}
