/** The sign-in form as a zod schema. */
import { z } from "zod";

export const LoginSchema = z.object({
  email: z.string({ required_error: "auth:errors.emailRequired" }).trim().email("auth:errors.emailInvalid").max(254, "auth:errors.emailInvalid"),
  password: z.string({ required_error: "auth:errors.passwordRequired" }).max(1024, "auth:errors.passwordRequired"),
  redirectTo: z.string().optional(),
});
