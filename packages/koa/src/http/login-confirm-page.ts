/** Text for HTML: the member's name comes from Alipay, but is escaped like any other input. */
function escapeHtml(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;')
}

/**
 * The page that asks a buyer whether to log in with the Alipay account a return etao started
 * names (docs/security.md, "Login CSRF"): nobody in this browser asked for that login, so the
 * kit never sets it silently. Both languages, no script and no inline style (the kit's CSP), a
 * form that posts back to the BFF and a "not me" link to where the buyer was going.
 */
export function loginConfirmPage(page: {
  readonly realName: string
  /** The account's 2088 id: its last four digits are shown, so a nameless account is told apart. */
  readonly userId: string
  readonly action: string
  readonly notMe: string
}): string {
  const who = escapeHtml(`支付宝用户${page.realName} (…${page.userId.slice(-4)})`)
  return `<!doctype html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>确认登录 · Confirm your login</title>
</head>
<body>
<main>
<h1>以 ${who} 的身份登录？</h1>
<p>你从一淘来到本店，支付宝告诉我们这个浏览器属于 ${who}。只有这是你自己的支付宝账户时才继续。</p>
<h2 lang="en">Log in as ${who}?</h2>
<p lang="en">You came from etao, and Alipay says this browser belongs to ${who}. Continue only if this is your own Alipay account.</p>
<form method="post" action="${escapeHtml(page.action)}">
<button type="submit">是我，登录 · Yes, log me in</button>
</form>
<p><a id="not-me" href="${escapeHtml(page.notMe)}">不是我，不登录继续 · Not me: continue without logging in</a></p>
</main>
</body>
</html>
`
}
