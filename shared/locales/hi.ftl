# Wavegate बॉट के संदेश, हिन्दी।

welcome =
    नमस्ते, { $name }! 👋

    <b>Wavegate</b> हर डिवाइस के लिए एक तेज़ और निजी VPN है।

    • फ़ोन, लैपटॉप और टैबलेट के लिए एक ही लिंक
    • कुछ ही टैप में भुगतान: Telegram Stars, UPI, QRIS या क्रिप्टो
    • नए हैं? { $trialDays } दिन मुफ़्त में आज़माएँ

    आप क्या करना चाहेंगे?
welcome-back = वापसी पर स्वागत है, { $name }! आप क्या करना चाहेंगे?
menu-buy = 🛒 VPN ख़रीदें
menu-status = 🔑 मेरी सदस्यता
menu-invite = 🎁 दोस्तों को बुलाएँ
menu-language = 🌐 भाषा
menu-help = ❓ मदद
menu-back = ⬅️ मेन्यू पर वापस
coming-soon = यह सुविधा बहुत जल्द आ रही है। जुड़े रहें!
promo-ask = अपना प्रोमो कोड भेजें (अक्षर और अंक), या बाहर जाने के लिए "मेन्यू पर वापस" दबाएँ।
promo-not-a-code = यह प्रोमो कोड जैसा नहीं लगता: 3–32 अक्षर, अंक, डैश या अंडरस्कोर। इसे फिर से भेजें, या "मेन्यू पर वापस" दबाएँ।
help =
    <b>Wavegate कैसे काम करता है</b>

    1. /buy से प्लान चुनें और Telegram Stars, UPI, QRIS या क्रिप्टो से भुगतान करें।
    2. आपको एक निजी सदस्यता लिंक और QR कोड मिलेगा।
    3. लिंक को v2rayNG (Android), Hiddify (कोई भी डिवाइस), Streisand या Happ (iPhone, Mac) में इम्पोर्ट करें।

    कमांड: /buy, /status, /trial, /invite, /language, /help
help-support = कोई सवाल? { $contact } पर लिखें।
invite =
    <b>दोस्तों को बुलाएँ, मुफ़्त दिन पाएँ</b>

    अपना निजी लिंक साझा करें। जब कोई दोस्त पहली बार भुगतान करेगा, आपको { $bonusDays } अतिरिक्त दिन मिलेंगे।

    आपका लिंक: { $link }

    अब तक बुलाए गए दोस्त: { $invited }
language-choose = अपनी भाषा चुनें:
language-changed = हो गया! अब मैं हिन्दी में बात करूँगा।
unknown-command = मुझे यह कमांड नहीं पता। यह रहा मेन्यू:
error-generic = हमारी ओर से कुछ गड़बड़ हो गई। कृपया एक मिनट बाद फिर कोशिश करें।
menu-trial = 🎁 मुफ़्त ट्रायल

## ख़रीदारी
plans-title = <b>प्लान चुनें</b>
plan-line =
    <b>{ $name }</b> — { $days } दिन, { $traffic }, { $devices } डिवाइस तक
    { $prices }
plan-monthly = मासिक
plan-quarterly = तिमाही
plan-yearly = सालाना
plan-trial = मुफ़्त ट्रायल
traffic-unlimited = अनलिमिटेड डेटा
traffic-gb = { $gb } GB
methods-title =
    <b>{ $name }</b>: { $days } दिन, { $traffic }, { $devices } डिवाइस तक।

    भुगतान का तरीक़ा चुनें:
method-stars = ⭐ Telegram Stars · { $price }
method-stars-subscription = 🔁 Stars सदस्यता · हर 30 दिन में { $price }
method-razorpay = ₹ Razorpay / UPI · { $price }
method-xendit = Rp Xendit / QRIS · { $price }
method-crypto = 💎 क्रिप्टो USDT/TON · { $price }
pay-link-razorpay = { $name } के लिए UPI से <b>{ $amount }</b> का भुगतान करें: बटन दबाएँ और अपने UPI ऐप में स्वीकृत करें। लिंक { $expires } तक मान्य है; Razorpay के भुगतान की पुष्टि करते ही आपका VPN लिंक यहाँ आ जाएगा।
pay-link-cryptopay = { $name } के लिए USDT या TON में <b>{ $amount }</b> का भुगतान करें: @CryptoBot में इनवॉइस खोलने के लिए बटन दबाएँ। यह { $expires } तक मान्य है; भुगतान की पुष्टि होते ही आपका VPN लिंक यहाँ आ जाएगा।
pay-qris = { $name } के लिए <b>{ $amount }</b> का भुगतान करने के लिए यह QRIS कोड किसी भी बैंकिंग या ई-वॉलेट ऐप से स्कैन करें। यह { $expires } तक मान्य है; Xendit के भुगतान की पुष्टि करते ही आपका VPN लिंक यहाँ आ जाएगा।
pay-button = 💳 { $amount } का भुगतान करें
checkout-failed = भुगतान सेवा ने जवाब नहीं दिया, इसलिए कोई पैसा नहीं कटा। कृपया कुछ मिनट बाद फिर से कोशिश करें या Telegram Stars से भुगतान करें।
checkout-too-many = आपने कुछ ही मिनटों में बहुत सारे भुगतान शुरू किए हैं। कृपया उनमें से किसी एक का भुगतान करें, या कुछ मिनट बाद फिर कोशिश करें।
reminder-expiring = ⏳ आपकी VPN सदस्यता <b>{ $expires }</b> को समाप्त हो रही है। बिना रुकावट जुड़े रहने के लिए अभी नवीनीकरण करें।
reminder-renews = 🔁 आपकी सदस्यता <b>{ $expires }</b> को Telegram Stars से अपने-आप नवीनीकृत होगी। कुछ करने की ज़रूरत नहीं।
reminder-expired = ⌛ आपकी VPN सदस्यता समाप्त हो गई है। फिर से जुड़ने के लिए कोई प्लान खरीदें: आपका लिंक वही रहेगा।
usage-connected = ✅ आप जुड़ गए हैं! आपका VPN काम कर रहा है। इसी लिंक से अपने दूसरे डिवाइस पर भी जोड़ें: 🔑 मेरी सदस्यता → 🔗 लिंक।
usage-traffic = 📊 आपने इस अवधि के ट्रैफ़िक का { $percent }% इस्तेमाल कर लिया है। ट्रैफ़िक ख़त्म होने पर रुकावट से बचने के लिए अभी प्लान खरीदें।
usage-limited = ⚠️ इस अवधि का पूरा ट्रैफ़िक इस्तेमाल हो गया है, इसलिए रीसेट होने तक आपका VPN रुका हुआ है। अभी फिर से जुड़ने के लिए प्लान खरीदें।
usage-setup-help =
    👋 आपका VPN तैयार है, लेकिन अभी तक कोई डिवाइस नहीं जुड़ा है। ऐसे जोड़ें:
    • Android: v2rayNG या Hiddify इंस्टॉल करें → “+” → क्लिपबोर्ड से इम्पोर्ट करें
    • iPhone, iPad, Mac: Streisand, Happ या Hiddify → “+” → क्लिपबोर्ड से जोड़ें
    • Windows, Linux: Hiddify → नई प्रोफ़ाइल → क्लिपबोर्ड से जोड़ें
    नीचे दिए बटन से अपना लिंक कॉपी करें, या QR कोड स्कैन करें। दिक़्क़त हो तो /help भेजें।
usage-device-limit = 📱 आपके प्लान के सभी { $limit } डिवाइस स्लॉट भरे हुए हैं, इसलिए नया डिवाइस नहीं जुड़ सकता। स्लॉट खाली करने के लिए डिवाइस रीसेट करें: जिन डिवाइस पर VPN चाहिए, उन पर लिंक फिर से इम्पोर्ट करें।
invoice-title = Wavegate VPN · { $name }
invoice-description = { $days } दिन का VPN, { $traffic }, { $devices } डिवाइस तक।
subscription-offer = { $name } प्लान की सदस्यता लें: हर 30 दिन में { $price }। Telegram इसे अपने-आप रिन्यू करता है; आप इसे /status में कभी भी रद्द कर सकते हैं।
subscription-button = 🔁 सदस्यता लें · { $price }

## चेकआउट और भुगतान
checkout-order-unknown = यह इनवॉइस अब मान्य नहीं है। कृपया /buy से दोबारा प्लान चुनें।
checkout-order-paid = इस इनवॉइस का भुगतान पहले ही हो चुका है।
checkout-amount-mismatch = राशि इस इनवॉइस से मेल नहीं खाती। कृपया /buy से दोबारा प्लान चुनें।
checkout-price-changed = यह इनवॉइस बनने के बाद कीमत बदल गई है। कृपया /buy से दोबारा प्लान चुनें।
payment-received = ✅ भुगतान मिल गया! आपका VPN सेट किया जा रहा है — लिंक बस कुछ ही पलों में आ जाएगा।
payment-problem = हमें आपका भुगतान मिल गया है, लेकिन हम उसे किसी ऑर्डर से नहीं जोड़ पाए। हमारी टीम को इसकी सूचना दे दी गई है और वह जल्द ही इसे ठीक कर देगी।
provisioned =
    🎉 <b>आपका VPN तैयार है!</b>
    वैधता: <b>{ $expires }</b> तक

    आपका निजी लिंक:
    <code>{ $link }</code>

    कनेक्ट कैसे करें:
    • Android: v2rayNG या Hiddify → “+” → क्लिपबोर्ड से इम्पोर्ट करें
    • iPhone, iPad, Mac: Streisand, Happ या Hiddify → “+” → क्लिपबोर्ड से जोड़ें
    • Windows, Linux: Hiddify → नई प्रोफ़ाइल → क्लिपबोर्ड से जोड़ें
    ऊपर दिया गया लिंक कॉपी करें या नीचे दिया गया QR कोड स्कैन करें।
qr-caption = अपनी सदस्यता इम्पोर्ट करने के लिए यह QR कोड अपने VPN ऐप में स्कैन करें।
refunded = ↩️ आपका { $amount } का भुगतान रिफ़ंड कर दिया गया है और उससे मिले { $days } दिन वापस ले लिए गए हैं।
refunded-active-until = अब आपकी सदस्यता { $expires } तक चालू है।
refunded-ended = आपकी सदस्यता ख़त्म हो गई है।

## ट्रायल
trial-started = 🎁 आपका { $days } दिन का मुफ़्त ट्रायल सेट किया जा रहा है — लिंक बस कुछ ही पलों में आ जाएगा।
trial-used = आप अपना मुफ़्त ट्रायल पहले ही इस्तेमाल कर चुके हैं। /buy से प्लान चुनें।
trial-not-available = मुफ़्त ट्रायल सिर्फ़ नए ग्राहकों के लिए है। /buy से प्लान चुनें।

## मेरी सदस्यता
status-none = आपके पास अभी कोई सदस्यता नहीं है। प्लान चुनें या मुफ़्त ट्रायल शुरू करें:
status-title = <b>मेरी सदस्यता</b>
status-body =
    प्लान: { $plan }
    स्थिति: { $status }
    वैधता: { $expires } तक
    डेटा: { $limit } में से { $used } इस्तेमाल हुआ
    डिवाइस: { $devices } तक
status-active = ✅ चालू
status-expired = ⌛ समाप्त
status-disabled = ⛔ बंद
status-limited = ⚠️ डेटा लिमिट पूरी हो गई
status-renewal-on = 🔁 ऑटो-रिन्यूअल: चालू (Telegram Stars, हर 30 दिन)
status-renewal-canceled = ⏸ ऑटो-रिन्यूअल: बंद; सब्सक्रिप्शन ऊपर दी गई तारीख को खत्म होगा
status-renewal-failed = ⚠️ ऑटो-रिन्यूअल विफल: Telegram रिन्यूअल का भुगतान नहीं ले सका। फिर से भुगतान करने के लिए रिन्यू दबाएँ।
status-unknown-plan = —
status-panel-unavailable = अभी VPN सर्वर से संपर्क नहीं हो पा रहा है। आपकी सदस्यता सुरक्षित है; कृपया एक मिनट बाद फिर कोशिश करें।
status-renew = 🔄 रिन्यू करें
status-qr = 📷 QR कोड
status-link = 🔗 लिंक
status-devices = 📱 डिवाइस रीसेट करें
status-new-link = ♻️ नया लिंक
status-cancel-subscription = ⏸ ऑटो-रिन्यूअल बंद करें
status-resume-subscription = ▶️ ऑटो-रिन्यूअल फिर चालू करें
link-message =
    आपका सदस्यता लिंक:
    <code>{ $link }</code>
devices-reset = 📱 सभी डिवाइस डिस्कनेक्ट कर दिए गए हैं। जिन डिवाइस पर आप VPN फिर से इस्तेमाल करना चाहते हैं, उन पर अपना लिंक दोबारा इम्पोर्ट करें।
revoke-confirm = नया लिंक पुराने लिंक की जगह ले लेगा: पुराने लिंक वाले डिवाइस तब तक काम नहीं करेंगे, जब तक आप उन पर नया लिंक इम्पोर्ट नहीं करते। आगे बढ़ें?
revoke-yes = ♻️ हाँ, नया लिंक बनाएँ
revoke-done =
    ♻️ हो गया! यह रहा आपका नया लिंक:
    <code>{ $link }</code>
subscription-canceled = ऑटो-रिन्यूअल बंद कर दिया गया है। आपकी सदस्यता उसकी अवधि ख़त्म होने तक चालू रहेगी।
subscription-resumed = ऑटो-रिन्यूअल फिर से चालू हो गया है।

## Referral standing
menu-points = 🏆 मेरे पॉइंट्स
invite-share = 📤 मेरा लिंक शेयर करें
invite-share-text = Telegram में ही तेज़ और निजी VPN. मेरे लिंक से आज़माएँ:
points =
    <b>🏆 मेरे पॉइंट्स</b>

    आमंत्रित दोस्त: { $invited }
    भुगतान करने वाले दोस्त: { $paying }
    कमाए गए दिन: { $days }
points-next = अगला इनाम: { $at } भुगतान करने वाले दोस्तों पर { $days } और दिन (अभी { $toGo } बाकी).
points-all-reached = आपने हर लक्ष्य पूरा कर लिया है. धन्यवाद!
points-rules = हर दोस्त के पहले भुगतान पर आपको { $bonusDays } दिन मिलते हैं, और 3, 10 और 25 भुगतान करने वाले दोस्तों पर 30, 90 और 180 दिन और.
top-week = इस हफ़्ते
top-month = इस महीने
top-all = अब तक
top-title = <b>🏆 सबसे ज़्यादा आमंत्रित करने वाले · { $period }</b>
top-empty = अभी कोई नहीं. किसी दोस्त को आमंत्रित करें और पहले बनें!
top-you = आप: #{ $rank }, भुगतान करने वाले दोस्त: { $paying }
top-you-none = आप अभी इस सूची में नहीं हैं: किसी ऐसे दोस्त को आमंत्रित करें जो भुगतान करे.
bonus-added = 🎁 दोस्तों को आमंत्रित करने के लिए +{ $days } दिन! आपकी सदस्यता अब <b>{ $expires }</b> तक सक्रिय है.
bonus-stored = 🎁 दोस्तों को आमंत्रित करने के लिए आपने { $days } दिन कमाए. ये आपके लिए सुरक्षित हैं और प्लान खरीदने या मुफ़्त ट्रायल शुरू करने पर जुड़ जाएँगे.
bonus-taken-back = ↩️ एक दोस्त के भुगतान के लिए मिले { $days } बोनस दिन वापस ले लिए गए: वह भुगतान रिफ़ंड हो गया.
