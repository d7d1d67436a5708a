import { createInstance } from "i18next";
import { createElement } from "react";
import { renderToString } from "react-dom/server";
import { I18nextProvider, initReactI18next } from "react-i18next";
import { createStaticHandler, createStaticRouter, StaticRouterProvider } from "react-router-dom/server";
import { beforeAll, describe, expect, it } from "vitest";
import type { CaseStatus } from "~/features/cases/case-lifecycle";
import { i18nOptions, resources } from "~/i18n/resources";
import * as reportsRoute from "~/routes/reports";
import * as csvRoute from "~/routes/reports.turnaround[.csv]";
import { getDb } from "~/platform/db.server";
import { context, get, run, signIn } from "../support/remix";

// The coordinator's clock is Los Angeles: months and CSV times below are on it.
const PERIOD = "from=2023-01&to=2023-02";
const cookies = {} as Record<"physician" | "consultant" | "coordinator", string>;
let physicianId: string;
let coordinatorId: string;

type Built = { id: string; code: string };
const built = {} as Record<"a" | "b" | "c" | "d" | "e" | "f" | "overdue" | "onTime", Built>;

async function buildCase(
  code: string,
  fields: { status: CaseStatus; cancerType: string | null; submittedAt: string; dueAt?: string; deliveries?: string[]; outcome?: [string, string] },
): Promise<Built> {
  const db = getDb();
  const created = await db.case.create({
    data: {
      code,
      institutionId: "demo-wuhan",
      createdById: physicianId,
      status: fields.status,
      cancerType: fields.cancerType,
      submittedAt: new Date(fields.submittedAt),
      dueAt: fields.dueAt ? new Date(fields.dueAt) : null,
    },
  });
  let previousId: string | null = null;
  for (const [index, deliveredAt] of (fields.deliveries ?? []).entries()) {
    const last = index === (fields.deliveries ?? []).length - 1;
    const opinion: { id: string } = await db.opinion.create({
      data: {
        caseId: created.id,
        version: index + 1,
        previousId,
        amendmentReason: previousId ? "Corrected the regimen" : null,
        origin: "SCRATCH",
        status: last ? "DELIVERED" : "SUPERSEDED",
        createdById: physicianId,
        deliveredById: coordinatorId,
        deliveredAt: new Date(deliveredAt),
      },
    });
    previousId = opinion.id;
  }
  if (fields.outcome) {
    await db.caseOutcome.create({
      data: {
        caseId: created.id,
        changedDiagnosis: fields.outcome[0],
        changedTreatment: fields.outcome[1],
        actionTaken: "Changed plan",
        reportedById: physicianId,
      },
    });
  }
  return { id: created.id, code };
}

beforeAll(async () => {
  const db = getDb();
  physicianId = (await db.user.findUniqueOrThrow({ where: { email: "physician@demo.test" } })).id;
  coordinatorId = (await db.user.findUniqueOrThrow({ where: { email: "coordinator@demo.test" } })).id;
  cookies.physician = await signIn("physician@demo.test");
  cookies.consultant = await signIn("consultant@demo.test");
  cookies.coordinator = await signIn("coordinator@demo.test");

  // January (Los Angeles): 2, 6.5 and 12.1 days; C is delivered on 1 February UTC, still 31 January in Los Angeles.
  built.a = await buildCase("RPT-A", {
    status: "DELIVERED",
    cancerType: "SOLID",
    submittedAt: "2023-01-01T20:00:00Z",
    deliveries: ["2023-01-03T20:00:00Z"],
    outcome: ["YES", "NO"],
  });
  built.b = await buildCase("RPT-B", {
    status: "ACKNOWLEDGED",
    cancerType: "SOLID",
    submittedAt: "2023-01-05T20:00:00Z",
    deliveries: ["2023-01-12T08:00:00Z"],
    outcome: ["NO", "NO"],
  });
  built.c = await buildCase("RPT-C", {
    status: "ARCHIVED",
    cancerType: "LYMPHOMA",
    submittedAt: "2023-01-20T00:00:00Z",
    deliveries: ["2023-02-01T03:00:00Z"],
    outcome: ["PARTLY", "NO"],
  });
  // February: 3 and 9 days (E's amendment in March does not move its first delivery).
  built.d = await buildCase("RPT-D", { status: "DELIVERED", cancerType: "SOLID", submittedAt: "2023-02-01T12:00:00Z", deliveries: ["2023-02-04T12:00:00Z"] });
  built.e = await buildCase("RPT-E", {
    status: "DELIVERED",
    cancerType: "LYMPHOMA",
    submittedAt: "2023-02-02T12:00:00Z",
    deliveries: ["2023-02-11T12:00:00Z", "2023-03-10T12:00:00Z"],
    outcome: ["NO", "NO"],
  });
  // First delivered in December; its amendment in January does not bring it into the period.
  built.f = await buildCase("RPT-F", {
    status: "DELIVERED",
    cancerType: "SOLID",
    submittedAt: "2022-12-01T12:00:00Z",
    deliveries: ["2022-12-10T12:00:00Z", "2023-01-15T12:00:00Z"],
    outcome: ["YES", "YES"],
  });
  built.overdue = await buildCase("RPT-LATE", { status: "IN_REVIEW", cancerType: "SOLID", submittedAt: "2023-01-10T12:00:00Z", dueAt: "2023-01-24T12:00:00Z" });
  built.onTime = await buildCase("RPT-ONTIME", {
    status: "SCHEDULED",
    cancerType: "SOLID",
    submittedAt: "2023-02-10T12:00:00Z",
    dueAt: "2099-01-01T12:00:00Z",
  });
});

const page = (query: string, cookie = cookies.coordinator) => run(reportsRoute.loader, { request: get(`/reports?${query}`, cookie) });
const csv = (query: string, cookie = cookies.coordinator) => run(csvRoute.loader, { request: get(`/reports/turnaround.csv?${query}`, cookie) });
/** Renders the dashboard with the loader's data, as the server would. */
async function renderPage(loaderData: object, lng: string): Promise<string> {
  const i18n = createInstance();
  await i18n.use(initReactI18next).init({ ...i18nOptions, resources, lng });
  const handler = createStaticHandler([{ path: "/reports", id: "routes/reports", loader: () => loaderData, Component: reportsRoute.default }]);
  const routing = await handler.query(new Request("http://localhost/reports"));
  if (routing instanceof Response) throw new Error("unexpected response");
  const router = createStaticRouter(handler.dataRoutes, routing);
  return renderToString(createElement(I18nextProvider, { i18n }, createElement(StaticRouterProvider, { router, context: routing, hydrate: false })));
}

const auditCount = (action: string, actorId: string) => getDb().auditEvent.count({ where: { action, actorId } });

describe("the turnaround dashboard", () => {
  it("lists the cases first delivered in the period with their days to delivery", async () => {
    const { status, data } = await page(PERIOD);
    expect(status).toBe(200);
    expect(data.period).toEqual({ from: "2023-01", to: "2023-02" });
    const delivered = data.report.delivered.map((c: { code: string; days: number; month: string; institution: string }) => [c.code, c.days, c.month]);
    expect(delivered).toEqual([
      ["RPT-A", 2, "2023-01"],
      ["RPT-B", 6.5, "2023-01"],
      ["RPT-C", 12.1, "2023-01"],
      ["RPT-D", 3, "2023-02"],
      ["RPT-E", 9, "2023-02"],
    ]);
    expect(data.report.delivered[0].institution).toBe("Wuhan Riverside Cancer Hospital (demo)");
  });

  it("gives the true median per month of delivery, for odd and even counts", async () => {
    const { data } = await page(PERIOD);
    expect(data.report.monthlyMedians).toEqual([
      { month: "2023-01", count: 3, medianDays: 6.5 },
      { month: "2023-02", count: 2, medianDays: 6 },
    ]);
  });

  it("shows open cases by state and flags an open case past its due date as overdue", async () => {
    const { data } = await page(PERIOD);
    const group = (status: string) => data.report.open.find((g: { status: string }) => g.status === status);
    const late = group("IN_REVIEW").cases.find((c: { code: string }) => c.code === "RPT-LATE");
    expect(late).toMatchObject({ caseId: built.overdue.id, overdue: true });
    expect(group("IN_REVIEW").overdueCount).toBeGreaterThanOrEqual(1);
    expect(group("SCHEDULED").cases.find((c: { code: string }) => c.code === "RPT-ONTIME")).toMatchObject({ overdue: false });
    expect(group("SCHEDULED").count).toBe(group("SCHEDULED").cases.length);
    const openCodes = data.report.open.flatMap((g: { cases: { code: string }[] }) => g.cases.map((c) => c.code));
    expect(openCodes).not.toContain("RPT-A");
  });

  it("marks an overdue case with the word, not only a colour, and links each case", async () => {
    const { data } = await page(PERIOD);
    for (const [lng, word] of [
      ["en", "Overdue"],
      ["zh-CN", "已逾期"],
    ]) {
      const html = await renderPage(data, lng);
      const rowOf = (code: string) => html.split("<tr").find((row) => row.includes(`>${code}</a>`)) ?? "";
      expect(rowOf("RPT-LATE")).toContain(`href="/cases/${built.overdue.id}"`);
      expect(rowOf("RPT-LATE")).toContain(`<span class="badge badge-urgent">${word}</span>`);
      expect(rowOf("RPT-ONTIME")).not.toContain(word);
      expect(rowOf("RPT-C")).toContain("12.1");
    }
  });

  it("reports how often delivered opinions changed care, by cancer type", async () => {
    const { data } = await page(PERIOD);
    const solid = data.outcomes.groups.find((g: { cancerType: string }) => g.cancerType === "SOLID");
    const lymphoma = data.outcomes.groups.find((g: { cancerType: string }) => g.cancerType === "LYMPHOMA");
    expect(solid).toMatchObject({
      delivered: 3,
      reported: 2,
      awaiting: 1,
      changedCare: 1,
      changedCareShare: 0.5,
      changedCareDefinitely: 1,
      changedCareDefinitelyShare: 0.5,
    });
    expect(solid.responseRate).toBeCloseTo(2 / 3);
    expect(lymphoma).toMatchObject({
      delivered: 2,
      reported: 2,
      awaiting: 0,
      responseRate: 1,
      changedCare: 1,
      changedCareShare: 0.5,
      changedCareDefinitely: 0,
      changedCareDefinitelyShare: 0,
    });
    expect(data.outcomes.total).toMatchObject({ delivered: 5, reported: 4, changedCare: 2 });
  });

  it("refuses a malformed or reversed period with the reason, still showing open cases", async () => {
    const malformed = await page("from=2023-13&to=2023-02");
    expect(malformed.status).toBe(400);
    expect(malformed.data.errors).toEqual({ from: ["reports:errors.monthInvalid"] });
    expect(malformed.data.period).toBeNull();
    expect(malformed.data.report.delivered).toEqual([]);
    expect(malformed.data.report.open.some((g: { cases: { code: string }[] }) => g.cases.some((c) => c.code === "RPT-LATE"))).toBe(true);
    const reversed = await page("from=2023-03&to=2023-01");
    expect(reversed.data.errors).toEqual({ to: ["reports:errors.periodReversed"] });
    expect((await csv("from=2023-03&to=2023-01")).status).toBe(400);
  });

  it("audits the coordinator's view", async () => {
    const before = await auditCount("reports.view", coordinatorId);
    await page(PERIOD);
    expect(await auditCount("reports.view", coordinatorId)).toBe(before + 1);
    const last = await getDb().auditEvent.findFirstOrThrow({ where: { action: "reports.view", actorId: coordinatorId }, orderBy: { id: "desc" } });
    expect(last.outcome).toBe("success");
    expect(JSON.parse(last.details)).toMatchObject({ period: { from: "2023-01", to: "2023-02" }, delivered: 5 });
  });
});

describe("the turnaround CSV", () => {
  it("is an attachment with a byte order mark, one row per delivered or open case, times on the coordinator's clock", async () => {
    const before = await auditCount("reports.turnaroundExport", coordinatorId);
    const { status, headers, data } = await csv(PERIOD);
    expect(status).toBe(200);
    expect(headers.get("content-type")).toBe("text/csv; charset=utf-8");
    expect(headers.get("content-disposition")).toBe('attachment; filename="turnaround-2023-01-to-2023-02.csv"');
    const lines: string[] = data.split("\r\n");
    expect(lines[0]).toBe(
      '"Case","Institution","Cancer type","Status","Submitted (America/Los_Angeles)","First delivered (America/Los_Angeles)","Days to delivery","Overdue"',
    );
    const line = (code: string) => lines.find((l) => l.startsWith(`"${code}"`));
    expect(line("RPT-C")).toBe('"RPT-C","Wuhan Riverside Cancer Hospital (demo)","Lymphoma","Archived","2023-01-19 16:00","2023-01-31 19:00","12.1",""');
    expect(line("RPT-E")).toBe('"RPT-E","Wuhan Riverside Cancer Hospital (demo)","Lymphoma","Opinion delivered","2023-02-02 04:00","2023-02-11 04:00","9",""');
    expect(line("RPT-LATE")).toBe('"RPT-LATE","Wuhan Riverside Cancer Hospital (demo)","Solid tumour","In review","2023-01-10 04:00","","","Overdue"');
    expect(line("RPT-ONTIME")).toMatch(/,"",""$/);
    expect(line("RPT-F")).toBeUndefined();
    expect(await auditCount("reports.turnaroundExport", coordinatorId)).toBe(before + 1);
  });

  it("starts with a UTF-8 byte order mark, so Excel reads Chinese correctly", async () => {
    const response = (await csvRoute.loader({
      request: get(`/reports/turnaround.csv?${PERIOD}&lng=zh-CN`, cookies.coordinator),
      params: {},
      context,
    })) as Response;
    const bytes = new Uint8Array(await response.arrayBuffer());
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(new TextDecoder("utf-8", { ignoreBOM: true }).decode(bytes).startsWith('\uFEFF"病例"')).toBe(true);
  });

  it("speaks the reader's language", async () => {
    const { data } = await csv(`${PERIOD}&lng=zh-CN`);
    const lines: string[] = data.split("\r\n");
    expect(lines[0]).toContain('"病例"');
    expect(lines.find((l) => l.startsWith('"RPT-LATE"'))).toContain('"武汉江滨肿瘤医院（演示）"');
    expect(lines.find((l) => l.startsWith('"RPT-LATE"'))).toContain('"已逾期"');
  });
});

describe("who may see reports", () => {
  it("refuses consultants and physicians on both routes, and audits each refusal", async () => {
    for (const who of ["consultant", "physician"] as const) {
      const actorId = (await getDb().user.findUniqueOrThrow({ where: { email: `${who}@demo.test` } })).id;
      const before = await getDb().auditEvent.findMany({ where: { action: "access.denied", actorId }, select: { id: true } });
      expect((await page(PERIOD, cookies[who])).status).toBe(403);
      expect((await csv(PERIOD, cookies[who])).status).toBe(403);
      const denials = await getDb().auditEvent.findMany({ where: { action: "access.denied", actorId, id: { notIn: before.map((b) => b.id) } } });
      expect(denials.map((d) => JSON.parse(d.details)).map((d) => [d.path, d.permission, d.status])).toEqual([
        ["/reports", "reports.view", 403],
        ["/reports/turnaround.csv", "reports.view", 403],
      ]);
    }
    expect(await getDb().auditEvent.count({ where: { action: { in: ["reports.view", "reports.turnaroundExport"] }, actorRole: { not: "COORDINATOR" } } })).toBe(
      0,
    );
  });

  it("sends anonymous visitors to sign in", async () => {
    const anonymous = await page(PERIOD, "");
    expect(anonymous.status).toBe(302);
    expect(anonymous.headers.get("location")).toMatch(/^\/login\?redirectTo=/);
  });
});
