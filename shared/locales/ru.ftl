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
coming-soon = Скоро здесь всё заработает. Следите за новостями!
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
