import { describe, expect, it } from "vitest";
import { formatRecoveryCode, MFA_REQUIRED_BY_DEFAULT, normalizeRecoveryCode, secondFactorStep } from "~/features/identity/mfa";

describe("second factor rules", () => {
  it("asks enrolled users for a code, makes required roles enrol, and lets exempt demo accounts in", () => {
    expect(secondFactorStep({ mfaEnabledAt: new Date(), mfaExempt: false }, false)).toBe("verify");
    expect(secondFactorStep({ mfaEnabledAt: new Date(), mfaExempt: true }, true)).toBe("verify");
    expect(secondFactorStep({ mfaEnabledAt: null, mfaExempt: false }, true)).toBe("enrol");
    expect(secondFactorStep({ mfaEnabledAt: null, mfaExempt: true }, true)).toBe("none");
    expect(secondFactorStep({ mfaEnabledAt: null, mfaExempt: false }, false)).toBe("none");
    expect(MFA_REQUIRED_BY_DEFAULT).toEqual({ TREATING_PHYSICIAN: false, CONSULTANT: true, COORDINATOR: true, ADMIN: true, INTERPRETER: true });
  });

  it("writes recovery codes without look-alike characters and reads them back however they are typed", () => {
    const code = formatRecoveryCode(new Uint8Array([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10]));
    expect(code).toMatch(/^[A-HJ-NP-Z2-9]{5}-[A-HJ-NP-Z2-9]{5}$/);
    expect(normalizeRecoveryCode(` ${code.toLowerCase().replace("-", " ")} `)).toBe(code.replace("-", ""));
  });
});
