/**
 * The board's call is handed off to the meeting tool the programme already
 * uses (see ARCHITECTURE.md, "The call"): per session a provider, and either
 * its invitation link or a meeting ID from which the provider's template
 * builds the join link, with a passcode where the tool asks for one. Links
 * are https only and on the provider's own hosts; the link carries no patient
 * data. Pure; the schedule form validates with it and the pages show
 * `meetingJoin` of what is stored.
 */

export const MEETING_PROVIDERS = ["ZOOM", "TEAMS", "TENCENT", "JITSI", "OTHER"] as const;
export type MeetingProvider = (typeof MEETING_PROVIDERS)[number];

export const MAX_MEETING_LINK_LENGTH = 500;
export const MAX_MEETING_ADDRESS_LENGTH = MAX_MEETING_LINK_LENGTH;
export const MAX_MEETING_PASSCODE_LENGTH = 32;

type MeetingTemplate = {
  /** Hosts a link may be on, each with its subdomains; empty: any host (another tool). */
  hosts: readonly string[];
  /** A meeting ID as entered (spaces and dashes between digit groups removed for numeric IDs), or null: the tool is joined by its link only. */
  id: RegExp | null;
  numericId: boolean;
  /** The join link built from a meeting ID. */
  link: ((id: string, passcode: string | null) => string) | null;
  /** The tool cannot be joined by ID without its passcode in the link. */
  idNeedsPasscode: boolean;
};

export const MEETING_TEMPLATES: Record<MeetingProvider, MeetingTemplate> = {
  ZOOM: {
    hosts: ["zoom.us", "zoom.com", "zoom.com.cn"],
    id: /^\d{9,11}$/,
    numericId: true,
    link: (id) => `https://zoom.us/j/${id}`,
    idNeedsPasscode: false,
  },
  TEAMS: {
    hosts: ["teams.microsoft.com", "teams.live.com"],
    id: /^\d{10,15}$/,
    numericId: true,
    link: (id, passcode) => `https://teams.microsoft.com/meet/${id}?p=${encodeURIComponent(passcode ?? "")}`,
    idNeedsPasscode: true,
  },
  // Tencent Meeting's invitations are short links (meeting.tencent.com/dm/…); a meeting number alone opens nothing in a browser.
  TENCENT: { hosts: ["meeting.tencent.com", "voovmeeting.com"], id: null, numericId: false, link: null, idNeedsPasscode: false },
  JITSI: {
    hosts: ["meet.jit.si"],
    id: /^[A-Za-z][A-Za-z0-9_-]{2,63}$/,
    numericId: false,
    link: (room) => `https://meet.jit.si/${room}`,
    idNeedsPasscode: false,
  },
  OTHER: { hosts: [], id: null, numericId: false, link: null, idNeedsPasscode: false },
};

export const MEETING_PROVIDER_LABEL_KEYS: Record<MeetingProvider, string> = {
  ZOOM: "sessions:meeting.providers.ZOOM",
  TEAMS: "sessions:meeting.providers.TEAMS",
  TENCENT: "sessions:meeting.providers.TENCENT",
  JITSI: "sessions:meeting.providers.JITSI",
  OTHER: "sessions:meeting.providers.OTHER",
};

export function isMeetingProvider(value: unknown): value is MeetingProvider {
  return typeof value === "string" && (MEETING_PROVIDERS as readonly string[]).includes(value);
}

/** What the schedule form stores of the call: the invitation link or the meeting ID (one of them), and the passcode. */
export type StoredMeeting = { provider: MeetingProvider; link: string | null; meetingId: string | null; passcode: string | null };

export type MeetingInput = { provider?: string; address?: string; passcode?: string };
export type MeetingField = "meetingProvider" | "meetingAddress" | "meetingPasscode";
export type MeetingProblem = { field: MeetingField; key: string };

const PASSCODE = /^[\x21-\x7e]+$/;
/** A case code (TB-2026-0042) in a link or a room name would put a case into another company's logs. */
const CASE_CODE = /TB-\d{4}-\d{4,}/i;

function hostAllowed(host: string, hosts: readonly string[]): boolean {
  return hosts.length === 0 || hosts.some((allowed) => host === allowed || host.endsWith(`.${allowed}`));
}

function looksLikeLink(address: string): boolean {
  return /^[a-z][a-z0-9+.-]*:/i.test(address) || address.includes("/");
}

/** A link the provider's template accepts, or the reason it does not. */
function checkLink(provider: MeetingProvider, address: string): { link: string } | { problem: string } {
  let url: URL;
  try {
    url = new URL(address);
  } catch {
    return { problem: "sessions:errors.meetingLinkInvalid" };
  }
  if (url.protocol !== "https:" || !url.hostname || url.username || url.password) return { problem: "sessions:errors.meetingLinkHttps" };
  if (!hostAllowed(url.hostname, MEETING_TEMPLATES[provider].hosts)) return { problem: `sessions:errors.meetingLinkHost.${provider}` };
  return { link: url.href };
}

/**
 * Reads the form's three fields into what is stored (null: no call), or the
 * problems, each an i18n key for one field.
 */
export function readMeeting(input: MeetingInput): { meeting: StoredMeeting | null; problems: MeetingProblem[] } {
  const providerText = input.provider?.trim() ?? "";
  const address = input.address?.trim() ?? "";
  const passcodeText = input.passcode?.trim() ?? "";
  const problems: MeetingProblem[] = [];
  if (!providerText) {
    if (address || passcodeText) problems.push({ field: "meetingProvider", key: "sessions:errors.meetingProviderRequired" });
    return { meeting: null, problems };
  }
  if (!isMeetingProvider(providerText)) return { meeting: null, problems: [{ field: "meetingProvider", key: "sessions:errors.meetingProviderInvalid" }] };
  const provider = providerText;
  const template = MEETING_TEMPLATES[provider];
  const passcode = passcodeText || null;
  if (passcode && (passcode.length > MAX_MEETING_PASSCODE_LENGTH || !PASSCODE.test(passcode)))
    problems.push({ field: "meetingPasscode", key: "sessions:errors.meetingPasscodeInvalid" });
  if (CASE_CODE.test(passcodeText)) problems.push({ field: "meetingPasscode", key: "sessions:errors.meetingNamesCase" });
  let link: string | null = null;
  let meetingId: string | null = null;
  if (!address) problems.push({ field: "meetingAddress", key: `sessions:errors.meetingAddressRequired.${provider}` });
  else if (address.length > MAX_MEETING_ADDRESS_LENGTH) problems.push({ field: "meetingAddress", key: "sessions:errors.meetingAddressTooLong" });
  else if (CASE_CODE.test(address)) problems.push({ field: "meetingAddress", key: "sessions:errors.meetingNamesCase" });
  else if (looksLikeLink(address)) {
    const checked = checkLink(provider, address);
    if ("problem" in checked) problems.push({ field: "meetingAddress", key: checked.problem });
    else link = checked.link;
  } else {
    const id = template.numericId ? address.replace(/[\s-]/g, "") : address;
    if (!template.id || !template.id.test(id)) problems.push({ field: "meetingAddress", key: `sessions:errors.meetingIdInvalid.${provider}` });
    else {
      meetingId = id;
      if (template.idNeedsPasscode && !passcode) problems.push({ field: "meetingPasscode", key: `sessions:errors.meetingPasscodeRequired.${provider}` });
    }
  }
  return problems.length > 0 ? { meeting: null, problems } : { meeting: { provider, link, meetingId, passcode }, problems };
}

/** What the join button opens and shows beside it; null when nothing joinable is stored (a stored value is checked again). */
export type MeetingJoin = { provider: MeetingProvider; href: string; meetingId: string | null; passcode: string | null };

/** A session's call as its columns hold it; read again through the rules before it is shown. */
export type StoredMeetingRow = { provider: string | null; link: string | null; meetingId: string | null; passcode: string | null };

export function meetingJoin(stored: StoredMeetingRow): MeetingJoin | null {
  const { meeting } = readMeeting({ provider: stored.provider ?? "", address: stored.link ?? stored.meetingId ?? "", passcode: stored.passcode ?? "" });
  if (!meeting) return null;
  const template = MEETING_TEMPLATES[meeting.provider];
  const href = meeting.link ?? (meeting.meetingId && template.link ? template.link(meeting.meetingId, meeting.passcode) : null);
  return href ? { provider: meeting.provider, href, meetingId: meeting.meetingId, passcode: meeting.passcode } : null;
}

/** The schedule form's fields as stored, for editing. */
export function meetingFormDefaults(stored: StoredMeetingRow) {
  return { meetingProvider: stored.provider ?? "", meetingAddress: stored.link ?? stored.meetingId ?? "", meetingPasscode: stored.passcode ?? "" };
}
