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
