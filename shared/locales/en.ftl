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
coming-soon = This is coming very soon. Stay tuned!
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
