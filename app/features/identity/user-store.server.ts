/** Reads and writes user rows. */
import type { UserInput } from "~/features/identity/account-schemas";
import type { Role } from "~/features/identity/roles";
import type { Db } from "~/platform/db.server";
import { hashPassword } from "~/features/identity/password.server";

export type UserListFilter = { q?: string; role?: Role; active?: boolean };

export function listUsers(db: Db, filter: UserListFilter) {
  return db.user.findMany({
    where: {
      ...(filter.q ? { OR: [{ email: { contains: filter.q.toLowerCase() } }, { displayName: { contains: filter.q } }] } : {}),
      ...(filter.role ? { role: filter.role } : {}),
      ...(filter.active !== undefined ? { active: filter.active } : {}),
    },
    orderBy: [{ role: "asc" }, { email: "asc" }],
    select: {
      id: true,
      email: true,
      displayName: true,
      role: true,
      active: true,
      lastLoginAt: true,
      institution: { select: { nameEn: true, nameZh: true } },
      specialties: { select: { specialty: true } },
    },
  });
}

export async function getUserForEdit(db: Db, id: string) {
  const user = await db.user.findUnique({
    where: { id },
    select: {
      id: true,
      email: true,
      displayName: true,
      role: true,
      institutionId: true,
      preferredLocale: true,
      timeZone: true,
      active: true,
      specialties: { select: { specialty: true } },
    },
  });
  return user && { ...user, specialties: user.specialties.map((s) => s.specialty) };
}

export function findUserByEmail(db: Db, email: string) {
  return db.user.findUnique({ where: { email: email.trim().toLowerCase() }, select: { id: true } });
}

export async function createUser(db: Db, input: UserInput & { password: string }) {
  const { password, specialties, institutionId, ...fields } = input;
  return db.user.create({
    data: {
      ...fields,
      institutionId: institutionId || null,
      passwordHash: await hashPassword(password),
      specialties: { create: specialties.map((specialty) => ({ specialty })) },
    },
  });
}

export async function updateUser(db: Db, id: string, input: UserInput) {
  const { password, specialties, institutionId, ...fields } = input;
  const passwordHash = password ? await hashPassword(password) : undefined;
  return db.$transaction([
    db.userSpecialty.deleteMany({ where: { userId: id } }),
    db.user.update({
      where: { id },
      data: {
        ...fields,
        institutionId: institutionId || null,
        ...(passwordHash ? { passwordHash } : {}),
        specialties: { create: specialties.map((specialty) => ({ specialty })) },
      },
    }),
  ]);
}
