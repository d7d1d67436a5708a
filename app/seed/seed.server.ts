/** The demo institutions, accounts, glossary and cases, created where missing. */
import type { Role } from "~/features/identity/roles";
import type { Specialty } from "~/features/identity/specialties";
import { recordAudit } from "~/features/audit/audit.server";
import type { Db } from "~/platform/db.server";
import { seedGlossary } from "~/features/glossary/glossary.server";
import { seedDemoCases } from "./demo-cases.server";
import { hashPassword } from "~/features/identity/password.server";

export const DEMO_PASSWORD = "demo-tumorboard-2026";

/** The demo hospitals may share data abroad under a (fictitious) filed PIPL standard contract. */
const DEMO_STANDARD_CONTRACT = {
  crossBorderBasis: "STANDARD_CONTRACT",
  crossBorderReference: "DEMO-SC-2026-0001",
  crossBorderDate: new Date("2026-01-15T00:00:00Z"),
};

const DEMO_INSTITUTIONS = [
  {
    id: "demo-wuhan",
    nameEn: "Wuhan Riverside Cancer Hospital (demo)",
    nameZh: "武汉江滨肿瘤医院（演示）",
    country: "CN",
    timeZone: "Asia/Shanghai",
    kind: "TREATING",
    ...DEMO_STANDARD_CONTRACT,
  },
  {
    id: "demo-hangzhou",
    nameEn: "Hangzhou West Lake Hospital (demo)",
    nameZh: "杭州西湖医院（演示）",
    country: "CN",
    timeZone: "Asia/Shanghai",
    kind: "TREATING",
    ...DEMO_STANDARD_CONTRACT,
  },
  {
    id: "demo-pacific",
    nameEn: "Pacific Coast Cancer Center (demo)",
    nameZh: "太平洋海岸癌症中心（演示）",
    country: "US",
    timeZone: "America/Los_Angeles",
    kind: "CONSULTING",
  },
] as const;

type DemoAccount = {
  email: string;
  displayName: string;
  role: Role;
  institutionId: string | null;
  preferredLocale: "en" | "zh-CN";
  timeZone: string;
  specialties: Specialty[];
};

export const DEMO_ACCOUNTS: DemoAccount[] = [
  {
    email: "physician@demo.test",
    displayName: "李伟 Li Wei",
    role: "TREATING_PHYSICIAN",
    institutionId: "demo-wuhan",
    preferredLocale: "zh-CN",
    timeZone: "Asia/Shanghai",
    specialties: ["THORACIC_ONCOLOGY"],
  },
  {
    email: "physician2@demo.test",
    displayName: "陈静 Chen Jing",
    role: "TREATING_PHYSICIAN",
    institutionId: "demo-hangzhou",
    preferredLocale: "zh-CN",
    timeZone: "Asia/Shanghai",
    specialties: ["MEDICAL_ONCOLOGY"],
  },
  {
    email: "consultant@demo.test",
    displayName: "Dr. Sarah Miller",
    role: "CONSULTANT",
    institutionId: "demo-pacific",
    preferredLocale: "en",
    timeZone: "America/Los_Angeles",
    specialties: ["MEDICAL_ONCOLOGY", "HEMATOLOGIC_MALIGNANCIES"],
  },
  {
    email: "consultant2@demo.test",
    displayName: "Dr. David Park",
    role: "CONSULTANT",
    institutionId: "demo-pacific",
    preferredLocale: "en",
    timeZone: "America/Los_Angeles",
    specialties: ["THORACIC_ONCOLOGY"],
  },
  {
    email: "coordinator@demo.test",
    displayName: "Emily Zhang 张艾米",
    role: "COORDINATOR",
    institutionId: "demo-pacific",
    preferredLocale: "en",
    timeZone: "America/Los_Angeles",
    specialties: [],
  },
  {
    email: "interpreter@demo.test",
    displayName: "王芳 Wang Fang",
    role: "INTERPRETER",
    institutionId: null,
    preferredLocale: "zh-CN",
    timeZone: "Asia/Shanghai",
    specialties: [],
  },
  {
    email: "admin@demo.test",
    displayName: "Platform Administrator",
    role: "ADMIN",
    institutionId: null,
    preferredLocale: "en",
    timeZone: "America/Los_Angeles",
    specialties: [],
  },
];

/** Creates whatever part of the demo data is missing; existing rows are left as they are. */
export async function seedDemo(db: Db): Promise<{ createdAccounts: string[] }> {
  for (const institution of DEMO_INSTITUTIONS) {
    await db.institution.upsert({ where: { id: institution.id }, create: institution, update: {} });
  }
  const passwordHash = await hashPassword(DEMO_PASSWORD);
  const createdAccounts: string[] = [];
  for (const { specialties, ...account } of DEMO_ACCOUNTS) {
    if (await db.user.findUnique({ where: { email: account.email }, select: { id: true } })) continue;
    await db.user.create({ data: { ...account, passwordHash, specialties: { create: specialties.map((specialty) => ({ specialty })) } } });
    createdAccounts.push(account.email);
  }
  // Demo accounts sign in without a second factor (the login page says so), also in databases seeded before it existed.
  await db.user.updateMany({ where: { email: { in: DEMO_ACCOUNTS.map((a) => a.email) } }, data: { mfaExempt: true } });
  const glossaryTerms = await seedGlossary(db);
  const demoCases = await seedDemoCases(db);
  if (createdAccounts.length > 0 || demoCases > 0 || glossaryTerms > 0) {
    await recordAudit(db, { actor: null, action: "system.seedDemo", outcome: "success", details: { createdAccounts, glossaryTerms, demoCases } });
  }
  return { createdAccounts };
}

export function demoAccountsBanner(): string {
  const rows = DEMO_ACCOUNTS.map((a) => `  ${a.email.padEnd(24)} ${a.role}`);
  return ["Demo accounts (password: " + DEMO_PASSWORD + "):", ...rows].join("\n");
}
