/** Attendance as a table: one row per stay in the room, in order of joining, with the minutes present. Pure. */
export type Stay = { name: string; email: string; role: string; joinedAt: Date; leftAt: Date | null };

export function attendanceRows(stays: readonly Stay[], endedAt: Date | null, headers: readonly string[]): (string | number | null)[][] {
  const rows = [...stays]
    .sort((a, b) => a.joinedAt.getTime() - b.joinedAt.getTime())
    .map((s) => {
      const until = s.leftAt ?? endedAt;
      return [
        s.name,
        s.email,
        s.role,
        s.joinedAt.toISOString(),
        s.leftAt?.toISOString() ?? null,
        until ? Math.round((until.getTime() - s.joinedAt.getTime()) / 60_000) : null,
      ];
    });
  return [[...headers], ...rows];
}
