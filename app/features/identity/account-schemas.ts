/** The account and institution forms as zod schemas, and the accounts list filter. */
import { z } from "zod";
import { AE_TITLE } from "~/platform/ae-title";
import { INSTITUTION_KINDS } from "./institutions";
import { CROSS_BORDER_BASES } from "~/features/compliance/cross-border";
import { SUPPORTED_LOCALES } from "~/i18n/locales";
import { ROLES } from "./roles";
import { SPECIALTIES } from "./specialties";
import { timeZoneInput } from "~/platform/time-zone-names";
import { filterChoice, filterText } from "~/platform/query-params";

export const MIN_PASSWORD_LENGTH = 12;

/** Any issue zod finds on the field itself (missing, wrong type, not in the list) reads as this key. */
const required = (key: string) => ({ errorMap: () => ({ message: key }) });
const timeZone = timeZoneInput("admin:errors.timeZoneInvalid");

const userFields = {
  email: z.string(required("admin:errors.emailInvalid")).trim().toLowerCase().email("admin:errors.emailInvalid").max(254, "admin:errors.emailInvalid"),
  displayName: z.string(required("admin:errors.displayNameRequired")).trim().min(1, "admin:errors.displayNameRequired").max(120, "admin:errors.tooLong"),
  role: z.enum(ROLES, required("admin:errors.roleRequired")),
  institutionId: z.string().optional(),
  specialties: z.array(z.enum(SPECIALTIES, required("admin:errors.specialtyInvalid"))).default([]),
  preferredLocale: z.enum(SUPPORTED_LOCALES, required("admin:errors.localeRequired")),
  timeZone,
  active: z.boolean().default(false),
};
const password = z.string().min(MIN_PASSWORD_LENGTH, "admin:errors.passwordTooShort").max(1024, "admin:errors.tooLong");

export const CreateUserSchema = z.object({ ...userFields, password: z.string(required("admin:errors.passwordTooShort")).pipe(password) });
/** On edit, a blank password keeps the current one. */
export const UpdateUserSchema = z.object({ ...userFields, password: password.optional() });
export type UserInput = z.infer<typeof UpdateUserSchema>;

export const InstitutionSchema = z
  .object({
    nameEn: z.string(required("admin:errors.nameEnRequired")).trim().min(1, "admin:errors.nameEnRequired").max(200, "admin:errors.tooLong"),
    nameZh: z.string(required("admin:errors.nameZhRequired")).trim().min(1, "admin:errors.nameZhRequired").max(200, "admin:errors.tooLong"),
    country: z
      .string(required("admin:errors.countryInvalid"))
      .trim()
      .toUpperCase()
      .regex(/^[A-Z]{2}$/, "admin:errors.countryInvalid"),
    timeZone,
    kind: z.enum(INSTITUTION_KINDS, required("admin:errors.kindRequired")),
    active: z.boolean().default(false),
    /** Calling AE titles of the institution's PACS, comma- or space-separated (DICOM AE: up to 16 characters, no backslash). */
    aeTitles: z
      .string()
      .optional()
      .transform((value) =>
        (value ?? "")
          .split(/[\s,]+/)
          .map((t) => t.trim())
          .filter(Boolean),
      )
      .refine((titles) => titles.every((t) => AE_TITLE.test(t)), "admin:errors.aeTitleInvalid"),
    /** The hospital PACS the treating side queries and retrieves from: host name or address, port, its AE title; our calling AE title if it needs one. */
    pacsHost: z
      .string()
      .trim()
      .max(253, "admin:errors.pacsHostInvalid")
      .regex(/^[A-Za-z0-9.:-]+$/, "admin:errors.pacsHostInvalid")
      .optional(),
    pacsPort: z
      .number({ invalid_type_error: "admin:errors.pacsPortInvalid" })
      .int("admin:errors.pacsPortInvalid")
      .min(1, "admin:errors.pacsPortInvalid")
      .max(65_535, "admin:errors.pacsPortInvalid")
      .optional(),
    pacsAeTitle: z.string().trim().regex(AE_TITLE, "admin:errors.aeTitleInvalid").optional(),
    pacsCallingAeTitle: z.string().trim().regex(AE_TITLE, "admin:errors.aeTitleInvalid").optional(),
    crossBorderBasis: z.enum(CROSS_BORDER_BASES, required("admin:errors.crossBorderBasisInvalid")).optional(),
    crossBorderReference: z.string().trim().max(100, "admin:errors.tooLong").optional(),
    crossBorderDate: z
      .string()
      .regex(/^\d{4}-\d{2}-\d{2}$/, "admin:errors.crossBorderDateInvalid")
      .transform((day) => new Date(`${day}T00:00:00Z`))
      .refine((date) => !Number.isNaN(date.getTime()) && date.getTime() <= Date.now(), "admin:errors.crossBorderDateInvalid")
      .optional(),
  })
  .superRefine((input, ctx) => {
    // The PACS is host, port and AE title together, or not at all.
    const pacs = [input.pacsHost, input.pacsPort, input.pacsAeTitle];
    if (pacs.some((v) => v !== undefined) || input.pacsCallingAeTitle) {
      for (const name of ["pacsHost", "pacsPort", "pacsAeTitle"] as const)
        if (input[name] === undefined) ctx.addIssue({ code: "custom", path: [name], message: "admin:errors.pacsIncomplete" });
    }
    // A basis is only recorded with the filing or approval number and its date; neither without a basis.
    if (input.crossBorderBasis) {
      if (!input.crossBorderReference) ctx.addIssue({ code: "custom", path: ["crossBorderReference"], message: "admin:errors.crossBorderReferenceRequired" });
      if (!input.crossBorderDate) ctx.addIssue({ code: "custom", path: ["crossBorderDate"], message: "admin:errors.crossBorderDateRequired" });
    } else if (input.crossBorderReference || input.crossBorderDate) {
      ctx.addIssue({ code: "custom", path: ["crossBorderBasis"], message: "admin:errors.crossBorderBasisRequired" });
    }
  });
export type InstitutionInput = z.infer<typeof InstitutionSchema>;

export const ACCOUNT_STATUSES = ["active", "disabled"] as const;

/** The accounts list's filters from the URL; a role or status outside the choices is no filter. */
export const AccountFilterSchema = z.object({
  q: filterText,
  role: filterChoice(ROLES),
  status: filterChoice(ACCOUNT_STATUSES),
});

/** The revoke button beside an API token on the account and institution pages. */
export const RevokeTokenForm = z.object({ intent: z.literal("revokeToken"), tokenId: z.string().min(1).max(40) });
