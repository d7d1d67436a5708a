/** An account's DICOMweb tokens or an institution's gateway tokens, each with its dates and a revoke button while live. */
import { Form } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { formatDateTime } from "~/ui/format";
import { TableScroll } from "~/ui/table-scroll";

export type ApiTokenListRow = { id: string; name: string; createdAt: string; expiresAt: string | null; lastUsedAt: string | null; revokedAt: string | null };

export function ApiTokenList({ tokens, timeZone, now }: { tokens: ApiTokenListRow[]; timeZone: string; now: string }) {
  const { t, i18n } = useTranslation();
  const when = (value: string | null) => (value ? formatDateTime(value, i18n.language, timeZone) : "—");
  const statusOf = (token: ApiTokenListRow) => (token.revokedAt ? "revoked" : token.expiresAt && token.expiresAt <= now ? "expired" : "live");
  return (
    <section aria-labelledby="api-tokens-title">
      <h2 id="api-tokens-title">{t("admin:tokens.title")}</h2>
      {tokens.length === 0 ? (
        <p>{t("admin:tokens.none")}</p>
      ) : (
        <TableScroll label={t("admin:tokens.title")}>
          <table>
            <thead>
              <tr>
                <th scope="col">{t("admin:tokens.name")}</th>
                <th scope="col">{t("admin:tokens.created")}</th>
                <th scope="col">{t("admin:tokens.lastUsed")}</th>
                <th scope="col">{t("admin:tokens.expires")}</th>
                <th scope="col">{t("admin:tokens.status")}</th>
                <th scope="col">{t("admin:actions")}</th>
              </tr>
            </thead>
            <tbody>
              {tokens.map((token) => (
                <tr key={token.id}>
                  <td>{token.name}</td>
                  <td>{when(token.createdAt)}</td>
                  <td>{when(token.lastUsedAt)}</td>
                  <td>{when(token.expiresAt)}</td>
                  <td>{t(`admin:tokens.statuses.${statusOf(token)}`)}</td>
                  <td>
                    {statusOf(token) === "live" ? (
                      <Form method="post">
                        <input type="hidden" name="intent" value="revokeToken" />
                        <input type="hidden" name="tokenId" value={token.id} />
                        <button type="submit" aria-label={t("admin:tokens.revokeNamed", { name: token.name })}>
                          {t("admin:tokens.revoke")}
                        </button>
                      </Form>
                    ) : null}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableScroll>
      )}
    </section>
  );
}
