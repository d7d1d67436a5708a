/** The board's call: a link that opens the meeting tool in a window of its own, with the meeting ID and passcode beside it. */
import { useTranslation } from "react-i18next";
import { MEETING_PROVIDER_LABEL_KEYS, type MeetingJoin } from "./meeting";

export function MeetingJoinLink({ meeting }: { meeting: MeetingJoin }) {
  const { t } = useTranslation();
  return (
    <span className="meeting-join">
      <a className="button-primary" href={meeting.href} target="_blank" rel="noopener noreferrer">
        {meeting.provider === "OTHER"
          ? t("sessions:meeting.join")
          : t("sessions:meeting.joinWith", { provider: t(MEETING_PROVIDER_LABEL_KEYS[meeting.provider]) })}
        <span className="visually-hidden"> {t("sessions:meeting.newWindow")}</span>
      </a>
      {meeting.meetingId && <span className="muted small">{t("sessions:meeting.id", { id: meeting.meetingId })}</span>}
      {meeting.passcode && <span className="muted small">{t("sessions:meeting.passcode", { passcode: meeting.passcode })}</span>}
    </span>
  );
}
