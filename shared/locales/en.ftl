# Wavegate bot texts, English (the default locale).
# Messages are sent with Telegram's HTML parse mode: arguments are escaped by the bot.

welcome =
    Hi, { $name }! 👋

    <b>Wavegate</b> is a fast, private VPN for every device.

    • One link for your phone, laptop and tablet
    • Pay in a few taps: Telegram Stars, UPI, QRIS or crypto
    • New here? Try it free for { $trialDays } days

    What would you like to do?
welcome-back = Welcome back, { $name }! What would you like to do?
menu-buy = 🛒 Buy VPN
menu-status = 🔑 My subscription
menu-invite = 🎁 Invite friends
menu-language = 🌐 Language
menu-help = ❓ Help
menu-back = ⬅️ Back to menu
promo-ask = Send me your promo code (letters and digits), or tap Back to menu to leave.
promo-not-a-code = That does not look like a promo code: 3–32 letters, digits, dashes or underscores. Send it again, or tap Back to menu.
help =
    <b>How Wavegate works</b>

    1. Choose a plan with /buy and pay with Telegram Stars, UPI, QRIS or crypto.
    2. You get a personal subscription link and a QR code.
    3. Import the link into v2rayNG (Android), Hiddify (any device), Streisand or Happ (iPhone, Mac).

    Commands: /buy, /status, /trial, /invite, /language, /help
help-support = Questions? Write to { $contact }.
invite =
    <b>Invite friends, get free days</b>

    Share your personal link. When a friend makes their first payment, you get { $bonusDays } extra days.

    Your link: { $link }

    Friends invited so far: { $invited }
language-choose = Choose your language:
language-changed = Done! I'll speak English from now on.
unknown-command = I don't know that command. Here is the menu:
slow-down = You're going a little fast. Please wait a minute, then try again.
error-generic = Something went wrong on our side. Please try again in a minute.
menu-trial = 🎁 Free trial

## Buying
plans-title = <b>Choose a plan</b>
plan-line =
    <b>{ $name }</b> — { $days } days, { $traffic }, up to { $devices } devices
    { $prices }
plan-monthly = Monthly
plan-quarterly = Quarterly
plan-yearly = Yearly
plan-trial = Free trial
traffic-unlimited = unlimited traffic
traffic-gb = { $gb } GB
methods-title =
    <b>{ $name }</b>: { $days } days, { $traffic }, up to { $devices } devices.

    Choose how to pay:
method-stars = ⭐ Telegram Stars · { $price }
method-stars-subscription = 🔁 Stars subscription · { $price } every 30 days
method-razorpay = ₹ Razorpay / UPI · { $price }
method-xendit = Rp Xendit / QRIS · { $price }
method-crypto = 💎 Crypto USDT/TON · { $price }
pay-link-razorpay = Pay <b>{ $amount }</b> for { $name } by UPI: tap the button and approve in your UPI app. The link works until { $expires }; your VPN link arrives here as soon as Razorpay confirms the payment.
pay-link-cryptopay = Pay <b>{ $amount }</b> for { $name } in USDT or TON: tap the button to open the invoice in @CryptoBot. It works until { $expires }; your VPN link arrives here as soon as the payment is confirmed.
pay-qris = Scan this QRIS code with any banking or e-wallet app to pay <b>{ $amount }</b> for { $name }. It works until { $expires }; your VPN link arrives here as soon as Xendit confirms the payment.
pay-button = 💳 Pay { $amount }
checkout-failed = The payment service did not answer, so nothing was charged. Please try again in a few minutes, or pay with Telegram Stars.
checkout-too-many = You opened many checkouts in a few minutes. Please pay one of them, or try again in a few minutes.
reminder-expiring = ⏳ Your VPN subscription ends on <b>{ $expires }</b>. Renew now to stay connected without a break.
reminder-renews = 🔁 Your subscription renews automatically on <b>{ $expires }</b> with Telegram Stars. Nothing to do.
reminder-expired = ⌛ Your VPN subscription has ended. Buy a plan to reconnect: your link stays the same.
usage-connected = ✅ You're connected! Your VPN works. Add it on your other devices with the same link: 🔑 My subscription → 🔗 Link.
usage-traffic = 📊 You have used { $percent }% of this period's traffic. Buy a plan now to avoid a pause when it runs out.
usage-limited = ⚠️ You've used all of this period's traffic, so your VPN is paused until it resets. Buy a plan to reconnect now.
usage-setup-help =
    👋 Your VPN is ready, but no device has connected yet. Here is how:
    • Android: install v2rayNG or Hiddify → “+” → import from clipboard
    • iPhone, iPad, Mac: Streisand, Happ or Hiddify → “+” → add from clipboard
    • Windows, Linux: Hiddify → new profile → add from clipboard
    Copy your link with the button below, or scan the QR code. Stuck? Send /help.
usage-device-limit = 📱 All { $limit } device slots of your plan are in use, so a new device cannot connect. Reset your devices to free them: the ones you keep import the link again.
invoice-title = Wavegate VPN · { $name }
invoice-description = { $days } days of VPN, { $traffic }, up to { $devices } devices.
subscription-offer = Subscribe to { $name } for { $price } every 30 days. Telegram renews it automatically; you can cancel any time in /status.
subscription-button = 🔁 Subscribe · { $price }

## Checkout and payment
checkout-order-unknown = This invoice is no longer valid. Please choose a plan again with /buy.
checkout-order-paid = This invoice has already been paid.
checkout-amount-mismatch = The amount does not match this invoice. Please choose a plan again with /buy.
checkout-price-changed = The price has changed since this invoice. Please choose the plan again with /buy.
payment-received = ✅ Payment received! Setting up your VPN — your link arrives in a moment.
payment-problem = We received your payment but could not match it to an order. Our team has been notified and will sort it out shortly.
provisioned =
    🎉 <b>Your VPN is ready!</b>
    Active until: <b>{ $expires }</b>

    Your personal link:
    <code>{ $link }</code>

    How to connect:
    • Android: v2rayNG or Hiddify → “+” → import from clipboard
    • iPhone, iPad, Mac: Streisand, Happ or Hiddify → “+” → add from clipboard
    • Windows, Linux: Hiddify → new profile → add from clipboard
    Copy the link above, or scan the QR code below.
qr-caption = Scan this QR code in your VPN app to import your subscription.
refunded = ↩️ Your payment of { $amount } was refunded and its { $days } days were taken back.
refunded-active-until = Your subscription is now active until { $expires }.
refunded-ended = Your subscription has ended.

## Trial
trial-started = 🎁 Your { $days }-day free trial is being set up — your link arrives in a moment.
trial-used = You have already used your free trial. Choose a plan with /buy.
trial-not-available = The free trial is for new customers. Choose a plan with /buy.

## My subscription
status-none = You don't have a subscription yet. Choose a plan or start a free trial:
status-title = <b>My subscription</b>
status-body =
    Plan: { $plan }
    Status: { $status }
    Active until: { $expires }
    Traffic: { $used } of { $limit }
    Devices: up to { $devices }
status-active = ✅ active
status-expired = ⌛ expired
status-disabled = ⛔ disabled
status-limited = ⚠️ traffic limit reached
status-renewal-on = 🔁 Auto-renewal: on (Telegram Stars, every 30 days)
status-renewal-canceled = ⏸ Auto-renewal: off; the subscription ends on the date above
status-renewal-failed = ⚠️ Auto-renewal failed: Telegram could not charge the renewal. Tap Renew to pay again.
status-unknown-plan = —
status-panel-unavailable = We can't reach the VPN server right now. Your subscription is safe; please try again in a minute.
status-renew = 🔄 Renew
status-qr = 📷 QR code
status-link = 🔗 Link
status-devices = 📱 Reset devices
status-new-link = ♻️ New link
status-cancel-subscription = ⏸ Cancel auto-renewal
status-resume-subscription = ▶️ Resume auto-renewal
link-message =
    Your subscription link:
    <code>{ $link }</code>
devices-reset = 📱 All devices were disconnected. Import your link on the devices you want to use again.
revoke-confirm = A new link replaces the old one: devices using the old link stop working until you import the new one. Continue?
revoke-yes = ♻️ Yes, issue a new link
revoke-done =
    ♻️ Done! Here is your new link:
    <code>{ $link }</code>
subscription-canceled = Auto-renewal is cancelled. Your subscription stays active until it ends.
subscription-resumed = Auto-renewal is back on.

## Referral standing
menu-points = 🏆 My points
invite-share = 📤 Share my link
invite-share-text = A fast private VPN right in Telegram. Try it with my link:
points =
    <b>🏆 My points</b>

    Friends invited: { $invited }
    Friends who paid: { $paying }
    Days earned: { $days }
points-next = Next reward: { $days } more days at { $at } paying friends ({ $toGo } to go).
points-all-reached = You have reached every milestone. Thank you!
points-rules = You get { $bonusDays } days for each friend's first payment, and 30, 90 and 180 more days at 3, 10 and 25 paying friends.
top-week = This week
top-month = This month
top-all = All time
top-title = <b>🏆 Top inviters · { $period }</b>
top-empty = Nobody yet. Invite a friend and be the first!
top-you = You: #{ $rank } with { $paying }
top-you-none = You are not on this board yet: invite a friend who pays.
bonus-added = 🎁 +{ $days } days for inviting friends! Your subscription is now active until <b>{ $expires }</b>.
bonus-stored = 🎁 You earned { $days } days for inviting friends. They are kept for you and added when you buy a plan or start your free trial.
bonus-taken-back = ↩️ The { $days } bonus days for a friend's payment were taken back: that payment was refunded.

# Promo codes
menu-promo = 🎟 I have a promo code
promo-days = 🎁 Code <b>{ $code }</b> accepted: +{ $days } days. They go on your subscription in a moment (or, with no subscription yet, when you buy a plan or start your trial).
promo-discount = 🎟 Code <b>{ $code }</b> accepted: { $percent }% off your next purchase. Choose a plan to use it.
promo-discount-applied = 🎟 Your { $percent }% promo discount is in these prices (not in the Stars subscription, which renews at the full price).
promo-unknown = There is no promo code <b>{ $code }</b>. Check the spelling and send it again.
promo-expired = The promo code <b>{ $code }</b> is no longer valid.
promo-exhausted = The promo code <b>{ $code }</b> has been used up.
promo-used = You have already used the promo code <b>{ $code }</b>.
promo-discount-waiting = You already hold a promo discount: use it on your next purchase before redeeming another one (<b>{ $code }</b> is not used).
promo-bonus-added = 🎁 +{ $days } days from your promo code! Your subscription is now active until <b>{ $expires }</b>.
promo-bonus-stored = 🎁 The { $days } days of your promo code are kept for you and added when you buy a plan or start your free trial.

# Admin actions the customer sees
admin-new-link = 🔑 Support issued you a new subscription link; the old one no longer works. Your new link:
    <code>{ $link }</code>
admin-bonus-added = 🎁 +{ $days } days from the Wavegate team! Your subscription is now active until <b>{ $expires }</b>.
admin-bonus-stored = 🎁 The Wavegate team gave you { $days } days. They are kept for you and added when you buy a plan or start your free trial.

# Gifts
gift-button = 🎁 Buy as a gift
gift-methods-title = 🎁 <b>{ $name }</b> as a gift: { $days } days, { $traffic }, { $devices } devices. You pay, and get a link to pass on; whoever opens it first gets the plan. Choose how to pay:
gift-invoice-title = Gift: { $name }
gift-ready = 🎁 Your gift is ready: { $days } days of Wavegate. Send this link to the person it is for; the first one to open it gets the plan (it works once):
    { $link }
gift-share-button = 📤 Send the gift
gift-share-text = A gift for you: Wavegate VPN. Open the link to activate it.
gift-received = 🎁 You received a gift: { $days } days of Wavegate! Your subscription link follows in a moment.
gift-redeemed = 🎁 Your gift was just redeemed. Thank you for sharing Wavegate!
gift-yours-already = You have already redeemed this gift: its days are on your subscription.
gift-taken = This gift has already been redeemed by someone else.
gift-own = This is your own gift: send the link to the person it is for.
gift-unknown = This gift link is not valid (it may have been refunded).
gift-taken-back = ↩️ The { $days } days of a gift were taken back: the person who gave it was refunded.

## Web site (site-*) and cabinet (app-*): static-site/src, built by scripts/site-build.mjs
site-skip = Skip to content
site-nav-label = Main
site-nav-features = Features
site-nav-pricing = Pricing
site-nav-faq = Help
site-nav-app = My account
site-nav-privacy = Privacy
site-nav-terms = Terms
site-lang-label = Language
site-footer-bot = Telegram bot
site-cta-bot = Open the Telegram bot
site-cta-app = Open my account
site-cur-xtr = Telegram Stars
site-cur-usd = US dollars
site-cur-inr = Indian rupees
site-cur-idr = Indonesian rupiah
site-plan-days = { $days ->
    [one] { $days } day
   *[other] { $days } days
}
site-plan-devices = up to { $devices ->
    [one] { $devices } device
   *[other] { $devices } devices
}
site-home-title = Wavegate — fast, private VPN for every device
site-home-desc = A fast, private VPN for your phone, laptop and tablet. Pay with Telegram Stars, UPI, QRIS or crypto; try it free.
site-hero-title = A fast, private VPN for every device
site-hero-text = One link for your phone, laptop and tablet. Buy in a few taps in Telegram and connect in a minute.
site-features-title = Why Wavegate
site-feat-devices-title = One link, every device
site-feat-devices = Import one subscription link on Android, iPhone, Mac and Windows.
site-feat-pay-title = Pay your way
site-feat-pay = Telegram Stars, UPI, QRIS or crypto (USDT, TON).
site-feat-trial-title = Try it free
site-feat-trial = New customers get a free trial: no payment needed.
site-feat-private-title = Private by design
site-feat-private = We keep only what billing needs, never the sites you visit.
site-feat-apps-title = Works with the apps you know
site-feat-apps = v2rayNG, Hiddify, Streisand and Happ: tap a button and the app adds your link.
site-feat-devices-control-title = Your devices, your control
site-feat-devices-control = See the devices on your plan and remove any of them, or get a new link at any time.
site-feat-referrals-title = Invite friends, get free days
site-feat-referrals = Each friend's first payment adds days to your plan, with bigger rewards at milestones.
site-feat-gifts-title = Gift a plan
site-feat-gifts = Buy a plan as a gift and send the link: whoever opens it first gets the VPN.
site-more-features = All features
site-pricing-title = Plans and prices
site-more-pricing = Prices and payment methods
site-pricing-page-title = Pricing — Wavegate VPN
site-pricing-desc = Wavegate plans: monthly, quarterly and yearly, in Telegram Stars, dollars, rupees and rupiah.
site-pricing-lead = Every plan works on all your devices. Prices include everything; no hidden fees.
site-methods-title = How to pay
site-method-stars = Telegram Stars: once, or as a subscription that renews every 30 days.
site-method-upi = UPI in rupees through Razorpay.
site-method-qris = QRIS in rupiah through Xendit: any banking or e-wallet app.
site-method-crypto = USDT or TON through Crypto Pay, priced in dollars.
site-pricing-trial = Not sure yet? Start a free trial in the bot first.
site-features-page-title = Features — Wavegate VPN
site-features-desc = What you get with Wavegate: one link for every device, easy payments, a free trial, device control and rewards.
site-faq-page-title = Help — Wavegate VPN
site-faq-desc = How to set up Wavegate on Android, iPhone, Windows and macOS, how to pay, the free trial and refunds.
site-faq-title = Help and questions
site-faq-setup = Set up your device
site-faq-android-q = Android: v2rayNG or Hiddify
site-faq-android = Install v2rayNG or Hiddify from Google Play. Copy your link in the bot or in your account, then tap “+” → Import from clipboard. On the phone, your account's “Add to” buttons do it in one tap.
site-faq-ios-q = iPhone and iPad: Streisand or Happ
site-faq-ios = Install Streisand or Happ from the App Store. Copy your link, open the app and tap “+” → Add from clipboard, or scan your QR code.
site-faq-desktop-q = Windows and macOS: Hiddify
site-faq-desktop = Download Hiddify for your computer, choose New profile → Add from clipboard and paste your link.
site-faq-billing = Payments
site-faq-pay-q = How do I pay?
site-faq-pay = In the bot or in your account: Telegram Stars, UPI (India), QRIS (Indonesia) or crypto. Your link arrives as soon as the payment is confirmed.
site-faq-trial-q = Is there a free trial?
site-faq-trial = Yes. New customers can start a free trial in the bot with /trial; no payment needed.
site-faq-refund-q = Can I get a refund?
site-faq-refund = If Wavegate does not work for you, write to support in the bot (/help). A refund goes back the way you paid, and its days are taken off your subscription.
site-faq-devices-q = How many devices can I use?
site-faq-devices = Each plan has a device limit. When it is full, remove a device in your account or reset them all.
site-privacy-title = Privacy
site-privacy-desc = What Wavegate stores about you, why, and how to have it deleted.
site-privacy-data-title = What we store
site-privacy-data = Your Telegram id, name, username and language; your plan, payments and referrals; and the devices on your plan (platform and model) to enforce its device limit.
site-privacy-traffic-title = Your traffic
site-privacy-traffic = We count only how much traffic you use, for your plan's limit. We keep no record of the sites you visit or what you send.
site-privacy-pay-title = Payments
site-privacy-pay = Telegram, Razorpay, Xendit and Crypto Pay process payments. We receive the amount and a reference, never card or bank details.
site-privacy-cookies-title = Cookies
site-privacy-cookies = This site sets cookies only to keep you signed in to your account. No ads, no trackers.
site-privacy-rights-title = Your choices
site-privacy-rights = Write to support in the bot to get a copy of your data or have it deleted.
site-terms-title = Terms of service
site-terms-desc = The terms of the Wavegate VPN service: plans, payments, fair use and refunds.
site-terms-service-title = The service
site-terms-service = A plan gives VPN access for its period, within its traffic and device limits. We work to keep it available but cannot promise it never stops.
site-terms-pay-title = Payments and renewal
site-terms-pay = Prices are shown before you pay. A Stars subscription renews every 30 days until you cancel it in the bot. A price change never affects a period you have paid for.
site-terms-use-title = Fair use
site-terms-use = Do not use Wavegate for anything illegal, for spam or attacks, or share your link beyond your own devices. We may suspend accounts that do.
site-terms-refund-title = Refunds
site-terms-refund = Ask support in the bot. A refund goes back the way you paid and ends the days it paid for.
site-terms-change-title = Changes
site-terms-change = We may update these terms; the bot tells you about important changes.
app-page-title = My account — Wavegate
app-desc = Your Wavegate subscription: link, QR code, devices, payments and rewards.
app-title = My account
app-noscript = Your account needs JavaScript. You can also manage everything in the Telegram bot.
app-loading = Loading…
app-signin-title = Sign in
app-signin-text = Sign in with your Telegram account. New here? Open the bot first and press Start.
app-open-telegram = Open in Telegram
app-error-signin = Telegram sign-in did not work. Please try again.
app-error-bot-first = Open the bot in Telegram and press Start first, then sign in here.
app-error-rate = Too many attempts. Please wait a minute and try again.
app-error-network = No connection. Check your internet and try again.
app-sub-title = My subscription
app-no-sub = You don't have a subscription yet. Choose a plan below.
app-trial = A free trial is waiting for you: start it in the bot.
app-plan = Plan
app-status = Status
app-expires = Active until
app-traffic = Traffic
app-traffic-of = { $used } of { $limit }
app-traffic-unlimited = { $used } used, unlimited
app-device-limit = Devices
app-link-title = Subscription link
app-link-label = Your personal link
app-copy = Copy
app-copied = Copied
app-qr-alt = QR code of your subscription link
app-revoke = New link
app-revoke-done = Here is your new link. Import it again on your devices.
app-guide-title = Connect a device
app-guide-android = Android
app-guide-ios = iPhone and iPad
app-guide-desktop = Windows and macOS
app-guide-steps = Install the app, then tap its button here. Or copy the link and import it from the clipboard in the app.
app-guide-add = Add to { $app }
app-devices-title = Devices
app-devices-count = { $total } of { $limit } in use
app-devices-empty = No device has connected yet.
app-device-added = added { $date }
app-device-remove = Remove
app-device-remove-label = Remove { $device }
app-device-confirm = Remove this device? It can connect again by importing the link.
app-device-removed = The device was removed.
app-devices-reset = Reset all devices
app-devices-reset-confirm = Disconnect all devices? Import the link again on the ones you keep.
app-devices-reset-done = All devices were disconnected.
app-buy-title = Buy or renew
app-checkout-opening = Opening the payment…
app-checkout-invoice = Invoice for { $price } is open.
app-paid = Payment received! Your subscription updates in a moment.
app-pay-failed = The payment did not go through. Please try again.
app-pay-until = Pay by { $time }.
app-qris = Pay { $price } with QRIS: paste this code into your banking or e-wallet app.
app-qris-label = QRIS code
app-error-method = This payment method is not available for this plan.
app-error-plan = This plan is no longer on sale.
app-promo-label = Promo code
app-promo-apply = Apply
app-promo-empty = Enter a promo code.
app-promo-days = Code accepted: +{ $days ->
    [one] { $days } day
   *[other] { $days } days
}.
app-promo-percent = Code accepted: { $percent }% off your next purchase.
app-promo-unknown = There is no such promo code.
app-promo-expired = This promo code is no longer valid.
app-promo-used-up = This promo code has been used up.
app-promo-already-used = You have already used this promo code.
app-promo-held = You already hold a discount: use it on your next purchase first.
app-ref-title = Invite friends
app-ref-text = Share your link. When a friend pays for the first time, you get free days.
app-ref-link = Your invite link
app-share = Share
app-ref-invited = Invited:
app-ref-paying = Paid:
app-ref-days = Days earned:
app-top-title = Top inviters
app-top-row = #{ $rank } { $name } · { $paying }
app-settings-title = Settings
app-signout = Sign out
app-cancel = Cancel
app-confirm = Yes, continue

# The operator console (/admin/): rendered by the site build, like the site- and app- keys.
adm-page-title = Operator console — Wavegate
adm-desc = Wavegate's operator console: sales, customers, payments, plans, promo codes, broadcasts and servers.
adm-title = Operator console
adm-noscript = The console needs JavaScript.
adm-signin-text = Sign in with a Telegram account on the operators' list.
adm-not-admin-title = Not an operator
adm-not-admin = This Telegram account is not an operator of this console. Sign out, then sign in with an operator's account.
adm-error = The request failed: { $reason }
adm-error-no-panel = This customer has no panel user yet.
adm-refresh = Refresh
adm-nav-label = Console sections
adm-nav-dashboard = Dashboard
adm-nav-users = Customers
adm-nav-payments = Payments
adm-nav-plans = Plans
adm-nav-promos = Promo codes
adm-nav-broadcast = Broadcast
adm-nav-nodes = Servers
adm-yes = yes
adm-no = no
adm-any = Any
adm-prev = Previous
adm-next = Next
adm-page = Page { $n }
adm-save = Save
adm-apply = Apply
adm-tb = { $tb } TB
adm-kpi-users = Customers
adm-kpi-users-new = +{ $today } today · +{ $d7 } in 7 days · +{ $d30 } in 30 days
adm-kpi-active = Active subscriptions
adm-kpi-active-none = No active subscriptions.
adm-kpi-revenue = Revenue
adm-kpi-revenue-none = No payments in the last 30 days.
adm-col-currency = Currency
adm-col-today = Today
adm-col-7d = 7 days
adm-col-30d = 30 days
adm-kpi-trials = Free trials
adm-kpi-trials-sub = { $d30 } in 30 days · { $percent }% of trial users paid later
adm-kpi-referrals = Paying through invites
adm-kpi-referrals-sub = { $referred } of { $paying } paying customers were invited
adm-kpi-panel = VPN panel
adm-kpi-online = { $now } online now · { $today } today
adm-kpi-panel-more = { $nodes } servers online · { $traffic } served
adm-panel-down = The panel did not answer: { $error }
adm-charts-title = The last { $days } days
adm-chart-revenue = Revenue per day
adm-chart-new-paying = New paying customers per day
adm-chart-active = Active subscriptions
adm-chart-plan-mix = Payments by plan
adm-chart-total = Total: { $total }
adm-plan-bonus = Bonus days
adm-provider-stars = Telegram Stars
adm-provider-razorpay = Razorpay
adm-provider-xendit = Xendit
adm-provider-cryptopay = Crypto Pay
adm-provider-trial = Trial
adm-provider-bonus = Bonus
adm-users-search = Search
adm-users-hint = A Telegram id, @username, part of a name or a panel short id.
adm-users-sort = Order
adm-sort-newest = Newest first
adm-sort-oldest = Oldest first
adm-sort-expires = Expiring soonest
adm-sort-expires-late = Expiring latest
adm-users-empty = No customers found.
adm-col-id = Telegram id
adm-col-name = Name
adm-col-joined = Joined
adm-col-expires = Active until
adm-col-status = Status
adm-col-plan = Plan
adm-col-payments = Payments
adm-col-locale = Language
adm-blocked = blocked the bot
adm-back-users = ← All customers
adm-user-profile = Profile and subscription
adm-field-username = Username
adm-field-traffic = Traffic
adm-field-devices = Devices
adm-field-link = Subscription link
adm-field-bonus = Bonus days
adm-field-trial = Trial used
adm-field-referral-code = Referral code
adm-field-referred-by = Invited by
adm-field-online = Last online
adm-field-panel = Panel
adm-panel-none = not on the panel yet
adm-panel-missing = missing on the panel
adm-actions = Actions
adm-extend-days = Days to add
adm-extend = Add days
adm-disable = Disable
adm-enable = Enable
adm-reset-devices = Reset devices
adm-new-link = New link
adm-confirm-extend = Add { $days ->
    [one] { $days } day
   *[other] { $days } days
} to this customer?
adm-confirm-disable = Disable this customer's VPN access?
adm-confirm-reset = Disconnect all of this customer's devices?
adm-confirm-link = Make a new subscription link? The old one stops working.
adm-done-extend = Added { $days ->
    [one] { $days } day
   *[other] { $days } days
}: the panel gets them in a moment.
adm-done = Done.
adm-user-payments = Payments
adm-user-orders = Orders
adm-user-referrals = Invited friends
adm-user-audit = Audit trail
adm-none-yet = Nothing yet.
adm-col-number = #
adm-col-date = Date
adm-col-customer = Customer
adm-col-provider = Channel
adm-col-amount = Amount
adm-col-kind = Type
adm-col-order = Order
adm-col-external = Provider reference
adm-col-days = Days
adm-col-paid = Paid
adm-col-actor = By
adm-col-action = Action
adm-col-change = Change
adm-pay-pending = pending
adm-pay-completed = completed
adm-pay-failed = failed
adm-pay-refunded = refunded
adm-order-paid = paid
adm-order-provisioned = provisioned
adm-order-cancelled = cancelled
adm-kind-purchase = purchase
adm-kind-renewal = renewal
adm-kind-trial = trial
adm-kind-bonus = bonus
adm-refund = Refund
adm-refund-label = Refund payment #{ $id }
adm-refund-confirm = Refund payment #{ $id } of { $amount }? The days it paid for are taken back.
adm-refund-done = Payment #{ $id } was refunded.
adm-refund-requested = { $provider } accepted the refund of payment #{ $id }; its confirmation completes it.
adm-refund-refused = Payment #{ $id } was not refunded: { $reason }
adm-filter-from = From
adm-filter-to = To
adm-csv = Download CSV
adm-payments-empty = No payments match.
adm-plans-intro = Prices are in each currency's usual units. An empty price stops selling the plan in that currency. Changes apply to new orders only.
adm-field-name = Name
adm-field-days = Days
adm-field-traffic-gb = Traffic, GB (0 = unlimited)
adm-field-device-limit = Devices (0 = no limit)
adm-field-active = On sale
adm-plan-saved = Plan “{ $plan }” saved.
adm-plan-unchanged = Nothing changed.
adm-plan-updated = Changed { $date }
adm-promo-new = New promo code
adm-field-code = Code
adm-field-kind = Type
adm-promo-kind-days = Free days
adm-promo-kind-percent = Discount, %
adm-field-value = Value
adm-field-max-uses = Uses (empty = unlimited)
adm-field-last-day = Last day (empty = no end)
adm-create = Create
adm-promo-created = Code { $code } created.
adm-promo-list = Promo codes
adm-col-code = Code
adm-col-value = Value
adm-col-uses = Used
adm-col-valid = Valid until
adm-col-active = Active
adm-promo-days = +{ $value ->
    [one] { $value } day
   *[other] { $value } days
}
adm-promo-percent = { $value }% off
adm-unlimited = unlimited
adm-deactivate = Deactivate
adm-deactivate-label = Deactivate { $code }
adm-deactivate-confirm = Deactivate code { $code }? Nobody can redeem it after this.
adm-promo-deactivated = Code { $code } deactivated.
adm-bc-text = Message
adm-bc-hint = Telegram HTML: <b>, <i>, <u>, <s>, <code>, <pre> and <a href="https://…">. A last line “button: Label | https://…” adds a link button.
adm-bc-audience = Audience
adm-aud-all = Everyone
adm-aud-active = Active subscribers
adm-aud-expired = Expired subscribers
adm-aud-never-paid = Never paid
adm-bc-locale = Language
adm-bc-any-locale = Every language
adm-bc-preview = Preview
adm-bc-send = Send
adm-bc-preview-title = What customers will see
adm-bc-recipients = Recipients: { $n }
adm-bc-counts = Everyone { $all } · active { $active } · expired { $expired } · never paid { $neverPaid }
adm-bc-empty = Write the message first.
adm-bc-confirm = Send this message to { $n ->
    [one] { $n } customer
   *[other] { $n } customers
}?
adm-bc-started = Broadcast #{ $id } started.
adm-bc-progress-title = Broadcast #{ $id }
adm-bc-progress = { $sent } sent · { $blocked } blocked · { $failed } failed · { $pending } waiting
adm-bc-cancel = Stop sending
adm-bc-cancel-confirm = Stop this broadcast? Customers who got it keep it.
adm-bc-recent = Recent broadcasts
adm-bc-draft = draft
adm-bc-sending = sending
adm-bc-done = done
adm-bc-cancelled = stopped
adm-col-text = Text
adm-col-total = Recipients
adm-col-sent = Sent
adm-col-node = Server
adm-col-country = Country
adm-col-address = Address
adm-col-online = Online
adm-col-traffic = Traffic
adm-col-health = Health check
adm-node-connected = connected
adm-node-disconnected = disconnected
adm-node-disabled = disabled
adm-node-up-since = up since { $time }
adm-node-down-since = down since { $time }
adm-nodes-empty = No servers.
