/**
 * Time zones as people look for them: every IANA zone the runtime knows, each
 * written with its cities in English and Chinese ("Asia/Shanghai — Beijing/Shanghai
 * 北京/上海"), so a list filtered by what is typed finds a zone by either name,
 * and a zone read back from such a text, an IANA name or a city name alone.
 */
import { z } from "zod";
import { isTimeZone } from "./time-zones";

type CityNames = { en: readonly string[]; zh: readonly string[] };

/** The zones clinicians of both sides work in; any other zone is named after the last part of its IANA name. */
const CITIES: Record<string, CityNames> = {
  "Asia/Shanghai": { en: ["Beijing", "Shanghai"], zh: ["北京", "上海"] },
  "Asia/Urumqi": { en: ["Urumqi"], zh: ["乌鲁木齐"] },
  "Asia/Hong_Kong": { en: ["Hong Kong"], zh: ["香港"] },
  "Asia/Macau": { en: ["Macau"], zh: ["澳门"] },
  "Asia/Taipei": { en: ["Taipei"], zh: ["台北"] },
  "Asia/Tokyo": { en: ["Tokyo"], zh: ["东京"] },
  "Asia/Seoul": { en: ["Seoul"], zh: ["首尔"] },
  "Asia/Singapore": { en: ["Singapore"], zh: ["新加坡"] },
  "Asia/Bangkok": { en: ["Bangkok"], zh: ["曼谷"] },
  "Asia/Kolkata": { en: ["Mumbai", "New Delhi"], zh: ["孟买", "新德里"] },
  "Asia/Dubai": { en: ["Dubai"], zh: ["迪拜"] },
  "America/New_York": { en: ["New York", "Boston"], zh: ["纽约", "波士顿"] },
  "America/Chicago": { en: ["Chicago", "Houston"], zh: ["芝加哥", "休斯敦"] },
  "America/Denver": { en: ["Denver"], zh: ["丹佛"] },
  "America/Phoenix": { en: ["Phoenix"], zh: ["菲尼克斯"] },
  "America/Los_Angeles": { en: ["Los Angeles", "San Francisco", "Seattle"], zh: ["洛杉矶", "旧金山", "西雅图"] },
  "America/Anchorage": { en: ["Anchorage"], zh: ["安克雷奇"] },
  "Pacific/Honolulu": { en: ["Honolulu"], zh: ["檀香山"] },
  "America/Toronto": { en: ["Toronto"], zh: ["多伦多"] },
  "America/Vancouver": { en: ["Vancouver"], zh: ["温哥华"] },
  "America/Sao_Paulo": { en: ["Sao Paulo"], zh: ["圣保罗"] },
  "Europe/London": { en: ["London"], zh: ["伦敦"] },
  "Europe/Dublin": { en: ["Dublin"], zh: ["都柏林"] },
  "Europe/Paris": { en: ["Paris"], zh: ["巴黎"] },
  "Europe/Berlin": { en: ["Berlin"], zh: ["柏林"] },
  "Europe/Amsterdam": { en: ["Amsterdam"], zh: ["阿姆斯特丹"] },
  "Europe/Brussels": { en: ["Brussels"], zh: ["布鲁塞尔"] },
  "Europe/Zurich": { en: ["Zurich"], zh: ["苏黎世"] },
  "Europe/Vienna": { en: ["Vienna"], zh: ["维也纳"] },
  "Europe/Rome": { en: ["Rome", "Milan"], zh: ["罗马", "米兰"] },
  "Europe/Madrid": { en: ["Madrid"], zh: ["马德里"] },
  "Europe/Stockholm": { en: ["Stockholm"], zh: ["斯德哥尔摩"] },
  "Europe/Moscow": { en: ["Moscow"], zh: ["莫斯科"] },
  "Australia/Sydney": { en: ["Sydney"], zh: ["悉尼"] },
  "Australia/Melbourne": { en: ["Melbourne"], zh: ["墨尔本"] },
  "Pacific/Auckland": { en: ["Auckland"], zh: ["奥克兰"] },
  UTC: { en: ["UTC"], zh: ["协调世界时"] },
};

/** Further cities of China's one zone, found when typed but not written into the list, which stays short. */
const MORE_CHINESE_CITIES: CityNames = {
  en: ["Wuhan", "Guangzhou", "Shenzhen", "Chengdu", "Hangzhou", "Nanjing", "Tianjin", "Chongqing", "Xi'an", "Changsha", "Zhengzhou", "Shenyang", "Harbin"],
  zh: ["武汉", "广州", "深圳", "成都", "杭州", "南京", "天津", "重庆", "西安", "长沙", "郑州", "沈阳", "哈尔滨"],
};

/** Every Chinese city name the table holds (the interface font must carry them). */
export const CHINESE_CITY_NAMES: readonly string[] = Object.values(CITIES).flatMap((names) => names.zh);

/** The runtime's own spelling of a zone ("asia/shanghai" → "Asia/Shanghai", and its name for an alias), or null when it knows none. */
export function canonicalTimeZone(value: string): string | null {
  if (!isTimeZone(value)) return null;
  return new Intl.DateTimeFormat("en", { timeZone: value }).resolvedOptions().timeZone;
}

const citiesByZone = new Map(Object.entries(CITIES).map(([zone, names]) => [canonicalTimeZone(zone) ?? zone, names]));

function citiesOf(zone: string): CityNames {
  return citiesByZone.get(zone) ?? { en: [(zone.split("/").pop() ?? zone).replace(/_/g, " ")], zh: [] };
}

/** "Asia/Shanghai — Beijing/Shanghai 北京/上海": what the list shows, and what filtering by typed text searches. */
export function timeZoneChoiceText(zone: string): string {
  const { en, zh } = citiesOf(zone);
  return [`${zone} —`, en.join("/"), zh.join("/")].filter(Boolean).join(" ");
}

/** Every zone the runtime knows, the table's first (the ones people pick), then the others in alphabetical order. */
export function timeZoneChoices(): string[] {
  const known = new Set([...Intl.supportedValuesOf("timeZone"), "UTC"]);
  const common = [...citiesByZone.keys()].filter((zone) => known.has(zone));
  const others = [...known].filter((zone) => !citiesByZone.has(zone)).sort();
  return [...common, ...others];
}

const normalised = (text: string) => text.trim().replace(/\s+/g, " ").toLowerCase();

let zonesByCity: Map<string, string> | null = null;
function zoneOfCity(text: string): string | null {
  if (!zonesByCity) {
    zonesByCity = new Map();
    for (const zone of timeZoneChoices()) {
      const { en, zh } = citiesOf(zone);
      for (const city of [...en, ...zh]) if (!zonesByCity.has(normalised(city))) zonesByCity.set(normalised(city), zone);
    }
    for (const city of [...MORE_CHINESE_CITIES.en, ...MORE_CHINESE_CITIES.zh]) zonesByCity.set(normalised(city), "Asia/Shanghai");
  }
  return zonesByCity.get(normalised(text)) ?? null;
}

/**
 * The zone a typed text names: a choice from the list ("Asia/Shanghai — …"),
 * an IANA name in any letter case, or one city's name in English or Chinese
 * ("Beijing", "北京"). Null when it names none.
 */
export function parseTimeZone(text: string): string | null {
  const beforeDash = text.split("—")[0].trim();
  if (!beforeDash) return null;
  return canonicalTimeZone(beforeDash) ?? zoneOfCity(beforeDash);
}

/** A form's time-zone field: any text `parseTimeZone` reads, answered as the zone's IANA name; else the issue `errorKey`. */
export function timeZoneInput(errorKey: string) {
  return z
    .string({ errorMap: () => ({ message: errorKey }) })
    .max(200, errorKey)
    .transform((text, ctx) => {
      const zone = parseTimeZone(text);
      if (!zone) ctx.addIssue({ code: "custom", message: errorKey });
      return zone ?? z.NEVER;
    });
}
