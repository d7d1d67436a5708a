/** Every namespace of locales/en and locales/zh-CN, bundled for the server and the browser. */
import enAdmin from "../../locales/en/admin.json";
import enAuth from "../../locales/en/auth.json";
import enRoom from "../../locales/en/room.json";
import enCases from "../../locales/en/cases.json";
import enCommon from "../../locales/en/common.json";
import enHome from "../../locales/en/home.json";
import enImaging from "../../locales/en/imaging.json";
import enSessions from "../../locales/en/sessions.json";
import enOpinions from "../../locales/en/opinions.json";
import zhAdmin from "../../locales/zh-CN/admin.json";
import zhAuth from "../../locales/zh-CN/auth.json";
import zhRoom from "../../locales/zh-CN/room.json";
import zhCases from "../../locales/zh-CN/cases.json";
import zhCommon from "../../locales/zh-CN/common.json";
import zhHome from "../../locales/zh-CN/home.json";
import zhImaging from "../../locales/zh-CN/imaging.json";
import zhSessions from "../../locales/zh-CN/sessions.json";
import zhOpinions from "../../locales/zh-CN/opinions.json";
import enReports from "../../locales/en/reports.json";
import zhReports from "../../locales/zh-CN/reports.json";
import enSearch from "../../locales/en/search.json";
import zhSearch from "../../locales/zh-CN/search.json";
import enPdf from "../../locales/en/pdf.json";
import zhPdf from "../../locales/zh-CN/pdf.json";
import { DEFAULT_LOCALE, NAMESPACES, SUPPORTED_LOCALES } from "~/i18n/locales";

export const resources = {
  en: {
    common: enCommon,
    auth: enAuth,
    home: enHome,
    admin: enAdmin,
    cases: enCases,
    imaging: enImaging,
    room: enRoom,
    sessions: enSessions,
    opinions: enOpinions,
    reports: enReports,
    search: enSearch,
    pdf: enPdf,
  },
  "zh-CN": {
    common: zhCommon,
    auth: zhAuth,
    home: zhHome,
    admin: zhAdmin,
    cases: zhCases,
    imaging: zhImaging,
    room: zhRoom,
    sessions: zhSessions,
    opinions: zhOpinions,
    reports: zhReports,
    search: zhSearch,
    pdf: zhPdf,
  },
};

export const i18nOptions = {
  supportedLngs: [...SUPPORTED_LOCALES],
  fallbackLng: DEFAULT_LOCALE,
  defaultNS: "common",
  ns: [...NAMESPACES],
  interpolation: { escapeValue: false },
  react: { useSuspense: false },
};
