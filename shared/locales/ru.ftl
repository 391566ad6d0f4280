# Тексты бота Wavegate, русский.

welcome =
    Привет, { $name }! 👋

    <b>Wavegate</b> — быстрый и приватный VPN для всех ваших устройств.

    • Одна ссылка для телефона, ноутбука и планшета
    • Оплата в пару касаний: Telegram Stars, UPI, QRIS или криптовалюта
    • Впервые здесь? Попробуйте бесплатно { $trialDays } дн.

    Что хотите сделать?
welcome-back = С возвращением, { $name }! Что хотите сделать?
menu-buy = 🛒 Купить VPN
menu-status = 🔑 Моя подписка
menu-invite = 🎁 Пригласить друзей
menu-language = 🌐 Язык
menu-help = ❓ Помощь
menu-back = ⬅️ В меню
promo-ask = Пришлите промокод (буквы и цифры) или нажмите «В меню», чтобы выйти.
promo-not-a-code = Это не похоже на промокод: 3–32 латинские буквы, цифры, дефисы или подчёркивания. Пришлите его ещё раз или нажмите «В меню».
help =
    <b>Как работает Wavegate</b>

    1. Выберите тариф командой /buy и оплатите через Telegram Stars, UPI, QRIS или криптовалютой.
    2. Вы получите личную ссылку-подписку и QR-код.
    3. Импортируйте ссылку в v2rayNG (Android), Hiddify (любое устройство), Streisand или Happ (iPhone, Mac).

    Команды: /buy, /status, /trial, /invite, /language, /help
help-support = Есть вопросы? Пишите { $contact }.
invite =
    <b>Приглашайте друзей — получайте дни бесплатно</b>

    Поделитесь своей ссылкой. Когда друг оплатит подписку впервые, вы получите { $bonusDays } дополнительных дней.

    Ваша ссылка: { $link }

    Приглашено друзей: { $invited }
language-choose = Выберите язык:
language-changed = Готово! Теперь я говорю по-русски.
unknown-command = Не знаю такой команды. Вот меню:
slow-down = Слишком быстро. Подождите минуту и попробуйте снова.
error-generic = У нас что-то пошло не так. Попробуйте ещё раз через минуту.
menu-trial = 🎁 Попробовать бесплатно

## Покупка
plans-title = <b>Выберите тариф</b>
plan-line =
    <b>{ $name }</b> — { $days } дн., { $traffic }, устройств: до { $devices }
    { $prices }
plan-monthly = Месячный
plan-quarterly = Квартальный
plan-yearly = Годовой
plan-trial = Пробный период
traffic-unlimited = безлимитный трафик
traffic-gb = { $gb } ГБ
methods-title =
    <b>{ $name }</b>: { $days } дн., { $traffic }, устройств: до { $devices }.

    Выберите способ оплаты:
method-stars = ⭐ Telegram Stars · { $price }
method-stars-subscription = 🔁 Подписка за Stars · { $price } каждые 30 дней
method-razorpay = ₹ Razorpay / UPI · { $price }
method-xendit = Rp Xendit / QRIS · { $price }
method-crypto = 💎 Криптовалюта USDT/TON · { $price }
pay-link-razorpay = Оплатите <b>{ $amount }</b> за { $name } через UPI: нажмите кнопку и подтвердите оплату в приложении UPI. Ссылка действует до { $expires }; ссылка на VPN придёт сюда, как только Razorpay подтвердит платёж.
pay-link-cryptopay = Оплатите <b>{ $amount }</b> за { $name } в USDT или TON: нажмите кнопку, чтобы открыть счёт в @CryptoBot. Счёт действует до { $expires }; ссылка на VPN придёт сюда, как только платёж будет подтверждён.
pay-qris = Отсканируйте этот QRIS-код в любом банковском приложении или кошельке, чтобы оплатить <b>{ $amount }</b> за { $name }. Код действует до { $expires }; ссылка на VPN придёт сюда, как только Xendit подтвердит платёж.
pay-button = 💳 Оплатить { $amount }
checkout-failed = Платёжный сервис не ответил, деньги не списаны. Попробуйте ещё раз через несколько минут или оплатите через Telegram Stars.
checkout-too-many = Вы открыли слишком много оплат за несколько минут. Оплатите одну из них или попробуйте снова через несколько минут.
reminder-expiring = ⏳ Ваша подписка на VPN заканчивается <b>{ $expires }</b>. Продлите сейчас, чтобы не остаться без связи.
reminder-renews = 🔁 Ваша подписка продлится автоматически <b>{ $expires }</b> через Telegram Stars. Ничего делать не нужно.
reminder-expired = ⌛ Ваша подписка на VPN закончилась. Купите тариф, чтобы снова подключиться: ссылка останется прежней.
usage-connected = ✅ Вы подключены! VPN работает. Добавьте его на другие устройства по той же ссылке: 🔑 Моя подписка → 🔗 Ссылка.
usage-traffic = 📊 Вы израсходовали { $percent }% трафика за этот период. Купите тариф сейчас, чтобы VPN не остановился, когда трафик закончится.
usage-limited = ⚠️ Трафик за этот период закончился, VPN приостановлен до его сброса. Купите тариф, чтобы подключиться сейчас.
usage-setup-help =
    👋 Ваш VPN готов, но ни одно устройство ещё не подключилось. Как подключить:
    • Android: установите v2rayNG или Hiddify → «+» → импорт из буфера обмена
    • iPhone, iPad, Mac: Streisand, Happ или Hiddify → «+» → добавить из буфера обмена
    • Windows, Linux: Hiddify → новый профиль → добавить из буфера обмена
    Скопируйте ссылку кнопкой ниже или отсканируйте QR-код. Не получается? Напишите /help.
usage-device-limit = 📱 Все { $limit } мест для устройств по вашему тарифу заняты, новое устройство не подключится. Сбросьте устройства, чтобы освободить места: на нужных устройствах просто импортируйте ссылку заново.
invoice-title = Wavegate VPN · { $name }
invoice-description = VPN на { $days } дн., { $traffic }, устройств: до { $devices }.
subscription-offer = Оформите подписку на тариф «{ $name }» за { $price } каждые 30 дней. Telegram продлевает её автоматически, а отменить её можно в любой момент в /status.
subscription-button = 🔁 Подписаться · { $price }

## Оформление заказа и оплата
checkout-order-unknown = Этот счёт больше не действителен. Выберите тариф заново командой /buy.
checkout-order-paid = Этот счёт уже оплачен.
checkout-amount-mismatch = Сумма не совпадает с суммой счёта. Выберите тариф заново командой /buy.
checkout-price-changed = С момента выставления счёта цена изменилась. Выберите тариф заново командой /buy.
payment-received = ✅ Оплата получена! Настраиваем ваш VPN — ссылка придёт через пару секунд.
payment-problem = Мы получили ваш платёж, но не смогли сопоставить его с заказом. Наша команда уже в курсе и скоро во всём разберётся.
provisioned =
    🎉 <b>Ваш VPN готов!</b>
    Действует до: <b>{ $expires }</b>

    Ваша личная ссылка:
    <code>{ $link }</code>

    Как подключиться:
    • Android: v2rayNG или Hiddify → «+» → импорт из буфера обмена
    • iPhone, iPad, Mac: Streisand, Happ или Hiddify → «+» → добавить из буфера обмена
    • Windows, Linux: Hiddify → новый профиль → добавить из буфера обмена
    Скопируйте ссылку выше или отсканируйте QR-код ниже.
qr-caption = Отсканируйте этот QR-код в своём VPN-приложении, чтобы импортировать подписку.
refunded = ↩️ Ваш платёж на сумму { $amount } возвращён, а оплаченный им срок ({ $days } дн.) списан с подписки.
refunded-active-until = Теперь ваша подписка действует до { $expires }.
refunded-ended = Ваша подписка закончилась.

## Пробный период
trial-started = 🎁 Готовим ваш бесплатный пробный период на { $days } дн. — ссылка придёт через пару секунд.
trial-used = Вы уже воспользовались бесплатным пробным периодом. Выберите тариф командой /buy.
trial-not-available = Бесплатный пробный период доступен только новым клиентам. Выберите тариф командой /buy.

## Моя подписка
status-none = У вас пока нет подписки. Выберите тариф или начните бесплатный пробный период:
status-title = <b>Моя подписка</b>
status-body =
    Тариф: { $plan }
    Статус: { $status }
    Действует до: { $expires }
    Трафик: { $used } / { $limit }
    Устройства: до { $devices }
status-active = ✅ активна
status-expired = ⌛ истекла
status-disabled = ⛔ отключена
status-limited = ⚠️ лимит трафика исчерпан
status-renewal-on = 🔁 Автопродление: включено (Telegram Stars, каждые 30 дней)
status-renewal-canceled = ⏸ Автопродление: выключено; подписка закончится в указанную дату
status-renewal-failed = ⚠️ Автопродление не удалось: Telegram не смог списать оплату. Нажмите «Продлить», чтобы оплатить снова.
status-unknown-plan = —
status-panel-unavailable = Сейчас не удаётся связаться с VPN-сервером. С вашей подпиской всё в порядке — попробуйте ещё раз через минуту.
status-renew = 🔄 Продлить
status-qr = 📷 QR-код
status-link = 🔗 Ссылка
status-devices = 📱 Сбросить устройства
status-new-link = ♻️ Новая ссылка
status-cancel-subscription = ⏸ Отключить автопродление
status-resume-subscription = ▶️ Включить автопродление
link-message =
    Ваша ссылка-подписка:
    <code>{ $link }</code>
devices-reset = 📱 Все устройства отключены. Заново импортируйте ссылку на тех устройствах, которыми хотите пользоваться.
revoke-confirm = Новая ссылка заменит старую: устройства со старой ссылкой перестанут работать, пока вы не импортируете на них новую. Продолжить?
revoke-yes = ♻️ Да, выпустить новую ссылку
revoke-done =
    ♻️ Готово! Вот ваша новая ссылка:
    <code>{ $link }</code>
subscription-canceled = Автопродление отключено. Подписка останется активной до конца оплаченного срока.
subscription-resumed = Автопродление снова включено.

## Referral standing
menu-points = 🏆 Мои баллы
invite-share = 📤 Поделиться ссылкой
invite-share-text = Быстрый приватный VPN прямо в Telegram. Попробуй по моей ссылке:
points =
    <b>🏆 Мои баллы</b>

    Приглашено друзей: { $invited }
    Из них оплатили: { $paying }
    Получено дней: { $days }
points-next = Следующая награда: ещё { $days } дн. при { $at } оплативших друзьях (осталось { $toGo }).
points-all-reached = Вы достигли всех наград. Спасибо!
points-rules = За первую оплату каждого друга — { $bonusDays } дн., а при 3, 10 и 25 оплативших друзьях — ещё 30, 90 и 180 дней.
top-week = Неделя
top-month = Месяц
top-all = Всё время
top-title = <b>🏆 Лучшие пригласившие · { $period }</b>
top-empty = Пока никого. Пригласите друга и станьте первым!
top-you = Вы: #{ $rank }, оплативших: { $paying }
top-you-none = Вас пока нет в рейтинге: пригласите друга, который оплатит.
bonus-added = 🎁 +{ $days } дн. за приглашённых друзей! Подписка теперь активна до <b>{ $expires }</b>.
bonus-stored = 🎁 Вы получили { $days } дн. за приглашённых друзей. Они сохранены и добавятся, когда вы купите тариф или начнёте пробный период.
bonus-taken-back = ↩️ { $days } бонусных дн. за оплату друга списаны: этот платёж был возвращён.

# Promo codes
menu-promo = 🎟 У меня есть промокод
promo-days = 🎁 Промокод <b>{ $code }</b> принят: +{ $days } дн. Они добавятся к подписке через минуту (а если подписки ещё нет — при покупке тарифа или начале пробного периода).
promo-discount = 🎟 Промокод <b>{ $code }</b> принят: скидка { $percent }% на следующую покупку. Выберите тариф, чтобы ею воспользоваться.
promo-discount-applied = 🎟 Ваша скидка { $percent }% по промокоду уже учтена в этих ценах (кроме подписки Stars: она продлевается по полной цене).
promo-unknown = Промокода <b>{ $code }</b> не существует. Проверьте написание и отправьте ещё раз.
promo-expired = Промокод <b>{ $code }</b> больше не действует.
promo-exhausted = Промокод <b>{ $code }</b> уже израсходован.
promo-used = Вы уже использовали промокод <b>{ $code }</b>.
promo-discount-waiting = У вас уже есть скидка по промокоду: используйте её при следующей покупке, прежде чем активировать другой (<b>{ $code }</b> не использован).
promo-bonus-added = 🎁 +{ $days } дн. по вашему промокоду! Подписка теперь активна до <b>{ $expires }</b>.
promo-bonus-stored = 🎁 { $days } дн. по вашему промокоду сохранены и добавятся, когда вы купите тариф или начнёте пробный период.

# Admin actions the customer sees
admin-new-link = 🔑 Поддержка выдала вам новую ссылку на подписку, старая больше не работает. Новая ссылка:
    <code>{ $link }</code>
admin-bonus-added = 🎁 +{ $days } дн. от команды Wavegate! Подписка теперь активна до <b>{ $expires }</b>.
admin-bonus-stored = 🎁 Команда Wavegate подарила вам { $days } дн. Они сохранены и добавятся, когда вы купите тариф или начнёте пробный период.

# Gifts
gift-button = 🎁 Купить в подарок
gift-methods-title = 🎁 <b>{ $name }</b> в подарок: { $days } дн., { $traffic }, устройств: { $devices }. Вы платите и получаете ссылку для передачи; тариф получит тот, кто откроет её первым. Выберите способ оплаты:
gift-invoice-title = Подарок: { $name }
gift-ready = 🎁 Ваш подарок готов: { $days } дн. Wavegate. Отправьте эту ссылку тому, кому он предназначен; тариф получит первый, кто её откроет (ссылка одноразовая):
    { $link }
gift-share-button = 📤 Отправить подарок
gift-share-text = Подарок для вас: Wavegate VPN. Откройте ссылку, чтобы активировать его.
gift-received = 🎁 Вам подарили { $days } дн. Wavegate! Ссылка на подписку придёт через минуту.
gift-redeemed = 🎁 Ваш подарок только что активировали. Спасибо, что делитесь Wavegate!
gift-yours-already = Вы уже активировали этот подарок: его дни добавлены к вашей подписке.
gift-taken = Этот подарок уже активировал кто-то другой.
gift-own = Это ваш собственный подарок: отправьте ссылку тому, кому он предназначен.
gift-unknown = Эта подарочная ссылка недействительна (возможно, оплата была возвращена).
gift-taken-back = ↩️ { $days } дн. подарка списаны: тот, кто его подарил, получил возврат оплаты.

## Web site (site-*) and cabinet (app-*): static-site/src, built by scripts/site-build.mjs
site-skip = Перейти к содержанию
site-nav-label = Главное меню
site-nav-features = Возможности
site-nav-pricing = Цены
site-nav-faq = Помощь
site-nav-app = Личный кабинет
site-nav-privacy = Конфиденциальность
site-nav-terms = Условия
site-lang-label = Язык
site-footer-bot = Telegram-бот
site-cta-bot = Открыть бота в Telegram
site-cta-app = Открыть личный кабинет
site-cur-xtr = Telegram Stars
site-cur-usd = Доллары США
site-cur-inr = Индийские рупии
site-cur-idr = Индонезийские рупии
site-plan-days = { $days } { $days ->
    [one] день
    [few] дня
   *[many] дней
}
site-plan-devices = до { $devices } { $devices ->
    [one] устройства
   *[other] устройств
}
site-home-title = Wavegate — быстрый и приватный VPN для всех устройств
site-home-desc = Быстрый приватный VPN для телефона, ноутбука и планшета. Оплата Telegram Stars, UPI, QRIS или криптовалютой; есть бесплатный пробный период.
site-hero-title = Быстрый и приватный VPN для всех устройств
site-hero-text = Одна ссылка для телефона, ноутбука и планшета. Покупка в пару касаний в Telegram, подключение за минуту.
site-features-title = Почему Wavegate
site-feat-devices-title = Одна ссылка — все устройства
site-feat-devices = Импортируйте одну ссылку подписки на Android, iPhone, Mac и Windows.
site-feat-pay-title = Удобная оплата
site-feat-pay = Telegram Stars, UPI, QRIS или криптовалюта (USDT, TON).
site-feat-trial-title = Попробуйте бесплатно
site-feat-trial = Новым клиентам — бесплатный пробный период, без оплаты.
site-feat-private-title = Приватность по умолчанию
site-feat-private = Храним только то, что нужно для оплаты, и никогда — сайты, которые вы посещаете.
site-feat-apps-title = Работает в привычных приложениях
site-feat-apps = v2rayNG, Hiddify, Streisand и Happ: нажмите кнопку — и приложение добавит вашу ссылку.
site-feat-devices-control-title = Ваши устройства под контролем
site-feat-devices-control = Смотрите устройства на тарифе, удаляйте любое из них или получите новую ссылку в любой момент.
site-feat-referrals-title = Приглашайте друзей — получайте дни
site-feat-referrals = Первая оплата каждого друга добавляет дни к вашей подписке, а за рубежи — ещё больше.
site-feat-gifts-title = Подарите тариф
site-feat-gifts = Купите тариф в подарок и отправьте ссылку: VPN получит тот, кто откроет её первым.
site-more-features = Все возможности
site-pricing-title = Тарифы и цены
site-more-pricing = Цены и способы оплаты
site-pricing-page-title = Цены — Wavegate VPN
site-pricing-desc = Тарифы Wavegate: месяц, квартал и год — в Telegram Stars, долларах, рупиях и индонезийских рупиях.
site-pricing-lead = Каждый тариф работает на всех ваших устройствах. В цену входит всё, без скрытых платежей.
site-methods-title = Как оплатить
site-method-stars = Telegram Stars: разово или подпиской, которая продлевается каждые 30 дней.
site-method-upi = UPI в рупиях через Razorpay.
site-method-qris = QRIS в рупиях Индонезии через Xendit: любое банковское приложение или кошелёк.
site-method-crypto = USDT или TON через Crypto Pay, цена в долларах.
site-pricing-trial = Сомневаетесь? Сначала включите бесплатный пробный период в боте.
site-features-page-title = Возможности — Wavegate VPN
site-features-desc = Что даёт Wavegate: одна ссылка для всех устройств, удобная оплата, пробный период, управление устройствами и награды.
site-faq-page-title = Помощь — Wavegate VPN
site-faq-desc = Как настроить Wavegate на Android, iPhone, Windows и macOS, как оплатить, пробный период и возвраты.
site-faq-title = Помощь и вопросы
site-faq-setup = Настройка устройства
site-faq-android-q = Android: v2rayNG или Hiddify
site-faq-android = Установите v2rayNG или Hiddify из Google Play. Скопируйте ссылку в боте или в кабинете, затем нажмите «+» → «Импорт из буфера обмена». На телефоне кнопки «Добавить в» в кабинете делают это в одно касание.
site-faq-ios-q = iPhone и iPad: Streisand или Happ
site-faq-ios = Установите Streisand или Happ из App Store. Скопируйте ссылку, откройте приложение и нажмите «+» → «Добавить из буфера», или отсканируйте QR-код.
site-faq-desktop-q = Windows и macOS: Hiddify
site-faq-desktop = Скачайте Hiddify для компьютера, выберите «Новый профиль» → «Добавить из буфера обмена» и вставьте ссылку.
site-faq-billing = Оплата
site-faq-pay-q = Как оплатить?
site-faq-pay = В боте или в кабинете: Telegram Stars, UPI (Индия), QRIS (Индонезия) или криптовалюта. Ссылка придёт сразу после подтверждения оплаты.
site-faq-trial-q = Есть ли пробный период?
site-faq-trial = Да. Новые клиенты могут включить бесплатный пробный период в боте командой /trial, без оплаты.
site-faq-refund-q = Можно ли вернуть деньги?
site-faq-refund = Если Wavegate вам не подошёл, напишите в поддержку в боте (/help). Деньги вернутся тем же способом оплаты, а оплаченные ими дни будут сняты с подписки.
site-faq-devices-q = Сколько устройств можно подключить?
site-faq-devices = У каждого тарифа есть лимит устройств. Когда он исчерпан, удалите устройство в кабинете или сбросьте все.
site-privacy-title = Конфиденциальность
site-privacy-desc = Какие данные Wavegate хранит о вас, зачем и как их удалить.
site-privacy-data-title = Что мы храним
site-privacy-data = Ваш Telegram id, имя, имя пользователя и язык; тариф, платежи и приглашения; устройства на тарифе (платформа и модель) — чтобы соблюдать лимит устройств.
site-privacy-traffic-title = Ваш трафик
site-privacy-traffic = Мы считаем только объём трафика — для лимита тарифа. Мы не храним, какие сайты вы посещаете и что отправляете.
site-privacy-pay-title = Платежи
site-privacy-pay = Платежи обрабатывают Telegram, Razorpay, Xendit и Crypto Pay. Мы получаем сумму и номер платежа, но никогда — данные карты или счёта.
site-privacy-cookies-title = Cookie
site-privacy-cookies = Сайт ставит cookie только для входа в личный кабинет. Никакой рекламы и трекеров.
site-privacy-rights-title = Ваш выбор
site-privacy-rights = Напишите в поддержку в боте, чтобы получить копию своих данных или удалить их.
site-terms-title = Условия использования
site-terms-desc = Условия сервиса Wavegate VPN: тарифы, оплата, честное использование и возвраты.
site-terms-service-title = Сервис
site-terms-service = Тариф даёт доступ к VPN на свой срок в пределах лимитов трафика и устройств. Мы стараемся, чтобы сервис работал всегда, но не можем обещать, что он никогда не прервётся.
site-terms-pay-title = Оплата и продление
site-terms-pay = Цена видна до оплаты. Подписка за Stars продлевается каждые 30 дней, пока вы не отмените её в боте. Изменение цены не затрагивает уже оплаченный период.
site-terms-use-title = Честное использование
site-terms-use = Не используйте Wavegate для незаконных действий, спама или атак и не передавайте ссылку другим людям. Такие аккаунты мы можем заблокировать.
site-terms-refund-title = Возвраты
site-terms-refund = Обратитесь в поддержку в боте. Деньги вернутся тем же способом оплаты, а оплаченные ими дни закончатся.
site-terms-change-title = Изменения
site-terms-change = Мы можем обновлять эти условия; о важных изменениях сообщит бот.
app-page-title = Личный кабинет — Wavegate
app-desc = Ваша подписка Wavegate: ссылка, QR-код, устройства, оплата и награды.
app-title = Личный кабинет
app-noscript = Для кабинета нужен JavaScript. Всё то же самое можно сделать в Telegram-боте.
app-loading = Загрузка…
app-signin-title = Вход
app-signin-text = Войдите через аккаунт Telegram. Впервые здесь? Сначала откройте бота и нажмите «Старт».
app-open-telegram = Открыть в Telegram
app-error-signin = Не удалось войти через Telegram. Попробуйте ещё раз.
app-error-bot-first = Сначала откройте бота в Telegram и нажмите «Старт», затем войдите здесь.
app-error-rate = Слишком много попыток. Подождите минуту и попробуйте снова.
app-error-network = Нет соединения. Проверьте интернет и попробуйте снова.
app-sub-title = Моя подписка
app-no-sub = У вас пока нет подписки. Выберите тариф ниже.
app-trial = Вас ждёт бесплатный пробный период: включите его в боте.
app-plan = Тариф
app-status = Статус
app-expires = Активна до
app-traffic = Трафик
app-traffic-of = { $used } из { $limit }
app-traffic-unlimited = использовано { $used }, без лимита
app-device-limit = Устройства
app-link-title = Ссылка подписки
app-link-label = Ваша личная ссылка
app-copy = Копировать
app-copied = Скопировано
app-qr-alt = QR-код вашей ссылки подписки
app-revoke = Новая ссылка
app-revoke-done = Вот ваша новая ссылка. Импортируйте её заново на устройствах.
app-guide-title = Подключить устройство
app-guide-android = Android
app-guide-ios = iPhone и iPad
app-guide-desktop = Windows и macOS
app-guide-steps = Установите приложение, затем нажмите его кнопку здесь. Или скопируйте ссылку и импортируйте её из буфера обмена в приложении.
app-guide-add = Добавить в { $app }
app-devices-title = Устройства
app-devices-count = Подключено: { $total } из { $limit }
app-devices-empty = Пока ни одно устройство не подключалось.
app-device-added = добавлено { $date }
app-device-remove = Удалить
app-device-remove-label = Удалить { $device }
app-device-confirm = Удалить это устройство? Оно сможет подключиться снова, импортировав ссылку.
app-device-removed = Устройство удалено.
app-devices-reset = Сбросить все устройства
app-devices-reset-confirm = Отключить все устройства? На тех, что оставляете, импортируйте ссылку заново.
app-devices-reset-done = Все устройства отключены.
app-buy-title = Купить или продлить
app-checkout-opening = Открываем оплату…
app-checkout-invoice = Счёт на { $price } открыт.
app-paid = Оплата получена! Подписка обновится через минуту.
app-pay-failed = Оплата не прошла. Попробуйте ещё раз.
app-pay-until = Оплатите до { $time }.
app-qris = Оплатите { $price } через QRIS: вставьте этот код в банковское приложение или кошелёк.
app-qris-label = Код QRIS
app-error-method = Этот способ оплаты недоступен для тарифа.
app-error-plan = Этот тариф больше не продаётся.
app-promo-label = Промокод
app-promo-apply = Применить
app-promo-empty = Введите промокод.
app-promo-days = Код принят: +{ $days } { $days ->
    [one] день
    [few] дня
   *[many] дней
}.
app-promo-percent = Код принят: скидка { $percent }% на следующую покупку.
app-promo-unknown = Такого промокода нет.
app-promo-expired = Срок действия промокода истёк.
app-promo-used-up = Этот промокод закончился.
app-promo-already-used = Вы уже использовали этот промокод.
app-promo-held = У вас уже есть скидка: сначала используйте её при следующей покупке.
app-ref-title = Пригласите друзей
app-ref-text = Поделитесь ссылкой. Когда друг впервые оплатит, вы получите бесплатные дни.
app-ref-link = Ваша ссылка-приглашение
app-share = Поделиться
app-ref-invited = Приглашено:
app-ref-paying = Оплатили:
app-ref-days = Заработано дней:
app-top-title = Лучшие пригласившие
app-top-row = #{ $rank } { $name } · { $paying }
app-settings-title = Настройки
app-signout = Выйти
app-cancel = Отмена
app-confirm = Да, продолжить

# The operator console (/admin/): rendered by the site build, like the site- and app- keys.
adm-page-title = Консоль оператора — Wavegate
adm-desc = Консоль оператора Wavegate: продажи, клиенты, платежи, тарифы, промокоды, рассылки и серверы.
adm-title = Консоль оператора
adm-noscript = Для консоли нужен JavaScript.
adm-signin-text = Войдите через аккаунт Telegram из списка операторов.
adm-not-admin-title = Нет доступа
adm-not-admin = Этот аккаунт Telegram не является оператором консоли. Выйдите и войдите через аккаунт оператора.
adm-error = Запрос не выполнен: { $reason }
adm-error-no-panel = У этого клиента ещё нет пользователя в панели.
adm-refresh = Обновить
adm-nav-label = Разделы консоли
adm-nav-dashboard = Сводка
adm-nav-users = Клиенты
adm-nav-payments = Платежи
adm-nav-plans = Тарифы
adm-nav-promos = Промокоды
adm-nav-broadcast = Рассылка
adm-nav-nodes = Серверы
adm-yes = да
adm-no = нет
adm-any = Любой
adm-prev = Назад
adm-next = Далее
adm-page = Страница { $n }
adm-save = Сохранить
adm-apply = Применить
adm-tb = { $tb } ТБ
adm-kpi-users = Клиенты
adm-kpi-users-new = +{ $today } сегодня · +{ $d7 } за 7 дней · +{ $d30 } за 30 дней
adm-kpi-active = Активные подписки
adm-kpi-active-none = Активных подписок нет.
adm-kpi-revenue = Выручка
adm-kpi-revenue-none = За последние 30 дней платежей не было.
adm-col-currency = Валюта
adm-col-today = Сегодня
adm-col-7d = 7 дней
adm-col-30d = 30 дней
adm-kpi-trials = Пробные периоды
adm-kpi-trials-sub = { $d30 } за 30 дней · { $percent }% пробовавших потом заплатили
adm-kpi-referrals = Платящие по приглашениям
adm-kpi-referrals-sub = { $referred } из { $paying } платящих клиентов пришли по приглашению
adm-kpi-panel = VPN-панель
adm-kpi-online = { $now } онлайн сейчас · { $today } за сутки
adm-kpi-panel-more = серверов онлайн: { $nodes } · передано { $traffic }
adm-panel-down = Панель не ответила: { $error }
adm-charts-title = Последние { $days } дней
adm-chart-revenue = Выручка по дням
adm-chart-new-paying = Новые платящие клиенты по дням
adm-chart-active = Активные подписки
adm-chart-plan-mix = Платежи по тарифам
adm-chart-total = Итого: { $total }
adm-plan-bonus = Бонусные дни
adm-provider-stars = Telegram Stars
adm-provider-razorpay = Razorpay
adm-provider-xendit = Xendit
adm-provider-cryptopay = Crypto Pay
adm-provider-trial = Пробный период
adm-provider-bonus = Бонус
adm-users-search = Найти
adm-users-hint = Telegram id, @username, часть имени или короткий id в панели.
adm-users-sort = Порядок
adm-sort-newest = Сначала новые
adm-sort-oldest = Сначала старые
adm-sort-expires = Скоро истекают
adm-sort-expires-late = Истекают позже всех
adm-users-empty = Клиенты не найдены.
adm-col-id = Telegram id
adm-col-name = Имя
adm-col-joined = С нами с
adm-col-expires = Действует до
adm-col-status = Статус
adm-col-plan = Тариф
adm-col-payments = Платежи
adm-col-locale = Язык
adm-blocked = заблокировал бота
adm-back-users = ← Все клиенты
adm-user-profile = Профиль и подписка
adm-field-username = Имя пользователя
adm-field-traffic = Трафик
adm-field-devices = Устройства
adm-field-link = Ссылка подписки
adm-field-bonus = Бонусные дни
adm-field-trial = Пробный период использован
adm-field-referral-code = Реферальный код
adm-field-referred-by = Пригласил
adm-field-online = Последний раз в сети
adm-field-panel = Панель
adm-panel-none = ещё нет в панели
adm-panel-missing = нет в панели
adm-actions = Действия
adm-extend-days = Сколько дней добавить
adm-extend = Добавить дни
adm-disable = Отключить
adm-enable = Включить
adm-reset-devices = Сбросить устройства
adm-new-link = Новая ссылка
adm-confirm-extend = Добавить этому клиенту { $days ->
    [one] { $days } день
    [few] { $days } дня
   *[many] { $days } дней
}?
adm-confirm-disable = Отключить этому клиенту доступ к VPN?
adm-confirm-reset = Отключить все устройства этого клиента?
adm-confirm-link = Создать новую ссылку подписки? Старая перестанет работать.
adm-done-extend = { $days ->
    [one] Добавлен { $days } день
    [few] Добавлено { $days } дня
   *[many] Добавлено { $days } дней
}: панель получит их через минуту.
adm-done = Готово.
adm-user-payments = Платежи
adm-user-orders = Заказы
adm-user-referrals = Приглашённые друзья
adm-user-audit = Журнал действий
adm-none-yet = Пока ничего.
adm-col-number = №
adm-col-date = Дата
adm-col-customer = Клиент
adm-col-provider = Канал
adm-col-amount = Сумма
adm-col-kind = Тип
adm-col-order = Заказ
adm-col-external = Номер у провайдера
adm-col-days = Дни
adm-col-paid = Платил
adm-col-actor = Кто
adm-col-action = Действие
adm-col-change = Изменение
adm-pay-pending = ожидает
adm-pay-completed = проведён
adm-pay-failed = не прошёл
adm-pay-refunded = возвращён
adm-order-paid = оплачен
adm-order-provisioned = выполнен
adm-order-cancelled = отменён
adm-kind-purchase = покупка
adm-kind-renewal = продление
adm-kind-trial = пробный
adm-kind-bonus = бонус
adm-refund = Вернуть
adm-refund-label = Вернуть платёж №{ $id }
adm-refund-confirm = Вернуть платёж №{ $id } на { $amount }? Оплаченные им дни будут сняты.
adm-refund-done = Платёж №{ $id } возвращён.
adm-refund-requested = { $provider } принял возврат платежа №{ $id }; он завершится после подтверждения.
adm-refund-refused = Платёж №{ $id } не возвращён: { $reason }
adm-filter-from = С
adm-filter-to = По
adm-csv = Скачать CSV
adm-payments-empty = Подходящих платежей нет.
adm-plans-intro = Цены указываются в обычных единицах валюты. Пустая цена — тариф не продаётся в этой валюте. Изменения действуют только для новых заказов.
adm-field-name = Название
adm-field-days = Дней
adm-field-traffic-gb = Трафик, ГБ (0 — без ограничений)
adm-field-device-limit = Устройств (0 — без ограничений)
adm-field-active = В продаже
adm-plan-saved = Тариф «{ $plan }» сохранён.
adm-plan-unchanged = Ничего не изменилось.
adm-plan-updated = Изменён { $date }
adm-promo-new = Новый промокод
adm-field-code = Код
adm-field-kind = Тип
adm-promo-kind-days = Бесплатные дни
adm-promo-kind-percent = Скидка, %
adm-field-value = Значение
adm-field-max-uses = Использований (пусто — без ограничений)
adm-field-last-day = Последний день (пусто — бессрочно)
adm-create = Создать
adm-promo-created = Код { $code } создан.
adm-promo-list = Промокоды
adm-col-code = Код
adm-col-value = Значение
adm-col-uses = Использован
adm-col-valid = Действует до
adm-col-active = Активен
adm-promo-days = +{ $value ->
    [one] { $value } день
    [few] { $value } дня
   *[many] { $value } дней
}
adm-promo-percent = скидка { $value }%
adm-unlimited = без ограничений
adm-deactivate = Отключить
adm-deactivate-label = Отключить { $code }
adm-deactivate-confirm = Отключить код { $code }? После этого его никто не сможет применить.
adm-promo-deactivated = Код { $code } отключён.
adm-bc-text = Сообщение
adm-bc-hint = HTML Telegram: <b>, <i>, <u>, <s>, <code>, <pre> и <a href="https://…">. Последняя строка «button: Текст | https://…» добавляет кнопку-ссылку.
adm-bc-audience = Получатели
adm-aud-all = Все
adm-aud-active = С активной подпиской
adm-aud-expired = С истёкшей подпиской
adm-aud-never-paid = Ни разу не платили
adm-bc-locale = Язык
adm-bc-any-locale = Все языки
adm-bc-preview = Предпросмотр
adm-bc-send = Отправить
adm-bc-preview-title = Так увидят клиенты
adm-bc-recipients = Получателей: { $n }
adm-bc-counts = Все { $all } · активные { $active } · истёкшие { $expired } · не платили { $neverPaid }
adm-bc-empty = Сначала напишите сообщение.
adm-bc-confirm = Отправить это сообщение { $n ->
    [one] { $n } клиенту
   *[many] { $n } клиентам
}?
adm-bc-started = Рассылка №{ $id } запущена.
adm-bc-progress-title = Рассылка №{ $id }
adm-bc-progress = отправлено { $sent } · заблокировали { $blocked } · ошибок { $failed } · в очереди { $pending }
adm-bc-cancel = Остановить
adm-bc-cancel-confirm = Остановить рассылку? У тех, кто уже получил сообщение, оно останется.
adm-bc-recent = Последние рассылки
adm-bc-draft = черновик
adm-bc-sending = отправляется
adm-bc-done = завершена
adm-bc-cancelled = остановлена
adm-col-text = Текст
adm-col-total = Получателей
adm-col-sent = Отправлено
adm-col-node = Сервер
adm-col-country = Страна
adm-col-address = Адрес
adm-col-online = Онлайн
adm-col-traffic = Трафик
adm-col-health = Проверка
adm-node-connected = на связи
adm-node-disconnected = нет связи
adm-node-disabled = отключён
adm-node-up-since = работает с { $time }
adm-node-down-since = недоступен с { $time }
adm-nodes-empty = Серверов нет.
