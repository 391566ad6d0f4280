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
slow-down = आप थोड़ा तेज़ चल रहे हैं। कृपया एक मिनट रुकें, फिर से कोशिश करें।
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

# Promo codes
menu-promo = 🎟 मेरे पास प्रोमो कोड है
promo-days = 🎁 कोड <b>{ $code }</b> स्वीकार हुआ: +{ $days } दिन। ये कुछ ही पलों में आपकी सदस्यता में जुड़ जाएँगे (या, अभी सदस्यता न हो तो, प्लान खरीदने या ट्रायल शुरू करने पर)।
promo-discount = 🎟 कोड <b>{ $code }</b> स्वीकार हुआ: आपकी अगली खरीद पर { $percent }% की छूट। इसका उपयोग करने के लिए प्लान चुनें।
promo-discount-applied = 🎟 आपकी { $percent }% प्रोमो छूट इन कीमतों में शामिल है (Stars सदस्यता में नहीं, जो पूरी कीमत पर नवीनीकृत होती है)।
promo-unknown = <b>{ $code }</b> नाम का कोई प्रोमो कोड नहीं है। वर्तनी जाँचें और फिर से भेजें।
promo-expired = प्रोमो कोड <b>{ $code }</b> अब मान्य नहीं है।
promo-exhausted = प्रोमो कोड <b>{ $code }</b> के सभी उपयोग हो चुके हैं।
promo-used = आप प्रोमो कोड <b>{ $code }</b> का उपयोग पहले ही कर चुके हैं।
promo-discount-waiting = आपके पास पहले से एक प्रोमो छूट है: दूसरा कोड लगाने से पहले उसे अपनी अगली खरीद पर इस्तेमाल करें (<b>{ $code }</b> का उपयोग नहीं हुआ)।
promo-bonus-added = 🎁 आपके प्रोमो कोड से +{ $days } दिन! आपकी सदस्यता अब <b>{ $expires }</b> तक सक्रिय है।
promo-bonus-stored = 🎁 आपके प्रोमो कोड के { $days } दिन आपके लिए सुरक्षित हैं और प्लान खरीदने या मुफ़्त ट्रायल शुरू करने पर जुड़ जाएँगे।

# Admin actions the customer sees
admin-new-link = 🔑 सहायता टीम ने आपको नया सदस्यता लिंक दिया है; पुराना अब काम नहीं करता। आपका नया लिंक:
    <code>{ $link }</code>
admin-bonus-added = 🎁 Wavegate टीम की ओर से +{ $days } दिन! आपकी सदस्यता अब <b>{ $expires }</b> तक सक्रिय है।
admin-bonus-stored = 🎁 Wavegate टीम ने आपको { $days } दिन दिए हैं। ये आपके लिए सुरक्षित हैं और प्लान खरीदने या मुफ़्त ट्रायल शुरू करने पर जुड़ जाएँगे।

# Gifts
gift-button = 🎁 उपहार के रूप में खरीदें
gift-methods-title = 🎁 उपहार के रूप में <b>{ $name }</b>: { $days } दिन, { $traffic }, { $devices } डिवाइस। आप भुगतान करते हैं और आगे भेजने के लिए एक लिंक पाते हैं; जो इसे पहले खोलेगा उसे प्लान मिलेगा। भुगतान का तरीका चुनें:
gift-invoice-title = उपहार: { $name }
gift-ready = 🎁 आपका उपहार तैयार है: Wavegate के { $days } दिन। यह लिंक उस व्यक्ति को भेजें जिसके लिए यह है; जो इसे पहले खोलेगा उसे प्लान मिलेगा (यह एक ही बार काम करता है):
    { $link }
gift-share-button = 📤 उपहार भेजें
gift-share-text = आपके लिए एक उपहार: Wavegate VPN। इसे सक्रिय करने के लिए लिंक खोलें।
gift-received = 🎁 आपको एक उपहार मिला है: Wavegate के { $days } दिन! आपका सदस्यता लिंक कुछ ही पलों में आएगा।
gift-redeemed = 🎁 आपका उपहार अभी-अभी उपयोग किया गया। Wavegate साझा करने के लिए धन्यवाद!
gift-yours-already = आप यह उपहार पहले ही ले चुके हैं: इसके दिन आपकी सदस्यता में जुड़ चुके हैं।
gift-taken = यह उपहार पहले ही किसी और ने ले लिया है।
gift-own = यह आपका अपना उपहार है: लिंक उस व्यक्ति को भेजें जिसके लिए यह है।
gift-unknown = यह उपहार लिंक मान्य नहीं है (हो सकता है इसका भुगतान वापस कर दिया गया हो)।
gift-taken-back = ↩️ एक उपहार के { $days } दिन वापस ले लिए गए: उपहार देने वाले को भुगतान वापस कर दिया गया।

## Web site (site-*) and cabinet (app-*): static-site/src, built by scripts/site-build.mjs
site-skip = मुख्य सामग्री पर जाएँ
site-nav-label = मुख्य मेनू
site-nav-features = सुविधाएँ
site-nav-pricing = कीमतें
site-nav-faq = मदद
site-nav-app = मेरा खाता
site-nav-privacy = गोपनीयता
site-nav-terms = शर्तें
site-lang-label = भाषा
site-footer-bot = Telegram बॉट
site-cta-bot = Telegram बॉट खोलें
site-cta-app = मेरा खाता खोलें
site-cur-xtr = Telegram Stars
site-cur-usd = अमेरिकी डॉलर
site-cur-inr = भारतीय रुपये
site-cur-idr = इंडोनेशियाई रुपिया
site-plan-days = { $days } दिन
site-plan-devices = { $devices } डिवाइस तक
site-home-title = Wavegate — हर डिवाइस के लिए तेज़ और निजी VPN
site-home-desc = आपके फ़ोन, लैपटॉप और टैबलेट के लिए तेज़ और निजी VPN। Telegram Stars, UPI, QRIS या क्रिप्टो से भुगतान करें; मुफ़्त ट्रायल लें।
site-hero-title = हर डिवाइस के लिए तेज़ और निजी VPN
site-hero-text = फ़ोन, लैपटॉप और टैबलेट के लिए एक ही लिंक। Telegram में कुछ टैप में खरीदें और एक मिनट में जुड़ें।
site-features-title = Wavegate क्यों
site-feat-devices-title = एक लिंक, हर डिवाइस
site-feat-devices = एक ही सब्सक्रिप्शन लिंक Android, iPhone, Mac और Windows पर इंपोर्ट करें।
site-feat-pay-title = अपने तरीके से भुगतान
site-feat-pay = Telegram Stars, UPI, QRIS या क्रिप्टो (USDT, TON)।
site-feat-trial-title = मुफ़्त में आज़माएँ
site-feat-trial = नए ग्राहकों के लिए मुफ़्त ट्रायल: कोई भुगतान नहीं।
site-feat-private-title = निजता सबसे पहले
site-feat-private = हम सिर्फ़ बिलिंग के लिए ज़रूरी जानकारी रखते हैं, आपकी देखी गई साइटें कभी नहीं।
site-feat-apps-title = जाने-पहचाने ऐप्स में चलता है
site-feat-apps = v2rayNG, Hiddify, Streisand और Happ: बटन दबाएँ और ऐप आपका लिंक जोड़ लेगा।
site-feat-devices-control-title = आपके डिवाइस, आपका नियंत्रण
site-feat-devices-control = अपने प्लान के डिवाइस देखें, किसी को भी हटाएँ, या कभी भी नया लिंक लें।
site-feat-referrals-title = दोस्तों को बुलाएँ, मुफ़्त दिन पाएँ
site-feat-referrals = हर दोस्त के पहले भुगतान पर आपके प्लान में दिन जुड़ते हैं, और पड़ावों पर बड़े इनाम।
site-feat-gifts-title = प्लान तोहफ़े में दें
site-feat-gifts = प्लान तोहफ़े के रूप में खरीदें और लिंक भेजें: जो पहले खोलेगा, उसे VPN मिलेगा।
site-more-features = सभी सुविधाएँ
site-pricing-title = प्लान और कीमतें
site-more-pricing = कीमतें और भुगतान के तरीके
site-pricing-page-title = कीमतें — Wavegate VPN
site-pricing-desc = Wavegate के प्लान: मासिक, तिमाही और वार्षिक, Telegram Stars, डॉलर, रुपये और रुपिया में।
site-pricing-lead = हर प्लान आपके सभी डिवाइस पर चलता है। कीमत में सब कुछ शामिल है, कोई छिपा शुल्क नहीं।
site-methods-title = भुगतान कैसे करें
site-method-stars = Telegram Stars: एक बार, या हर 30 दिन में रिन्यू होने वाले सब्सक्रिप्शन के रूप में।
site-method-upi = Razorpay के ज़रिए रुपये में UPI।
site-method-qris = Xendit के ज़रिए रुपिया में QRIS: कोई भी बैंकिंग या ई-वॉलेट ऐप।
site-method-crypto = Crypto Pay के ज़रिए USDT या TON, कीमत डॉलर में।
site-pricing-trial = अभी तय नहीं? पहले बॉट में मुफ़्त ट्रायल शुरू करें।
site-features-page-title = सुविधाएँ — Wavegate VPN
site-features-desc = Wavegate में क्या मिलता है: हर डिवाइस के लिए एक लिंक, आसान भुगतान, मुफ़्त ट्रायल, डिवाइस नियंत्रण और इनाम।
site-faq-page-title = मदद — Wavegate VPN
site-faq-desc = Android, iPhone, Windows और macOS पर Wavegate कैसे सेट करें, भुगतान कैसे करें, मुफ़्त ट्रायल और रिफ़ंड।
site-faq-title = मदद और सवाल
site-faq-setup = अपना डिवाइस सेट करें
site-faq-android-q = Android: v2rayNG या Hiddify
site-faq-android = Google Play से v2rayNG या Hiddify इंस्टॉल करें। बॉट या अपने खाते से लिंक कॉपी करें, फिर “+” → क्लिपबोर्ड से इंपोर्ट दबाएँ। फ़ोन पर, खाते के “इसमें जोड़ें” बटन यह एक टैप में कर देते हैं।
site-faq-ios-q = iPhone और iPad: Streisand या Happ
site-faq-ios = App Store से Streisand या Happ इंस्टॉल करें। लिंक कॉपी करें, ऐप खोलें और “+” → क्लिपबोर्ड से जोड़ें दबाएँ, या QR कोड स्कैन करें।
site-faq-desktop-q = Windows और macOS: Hiddify
site-faq-desktop = अपने कंप्यूटर के लिए Hiddify डाउनलोड करें, नई प्रोफ़ाइल → क्लिपबोर्ड से जोड़ें चुनें और लिंक पेस्ट करें।
site-faq-billing = भुगतान
site-faq-pay-q = भुगतान कैसे करूँ?
site-faq-pay = बॉट में या अपने खाते में: Telegram Stars, UPI (भारत), QRIS (इंडोनेशिया) या क्रिप्टो। भुगतान की पुष्टि होते ही आपका लिंक आ जाता है।
site-faq-trial-q = क्या मुफ़्त ट्रायल है?
site-faq-trial = हाँ। नए ग्राहक बॉट में /trial से मुफ़्त ट्रायल शुरू कर सकते हैं; कोई भुगतान नहीं।
site-faq-refund-q = क्या रिफ़ंड मिल सकता है?
site-faq-refund = अगर Wavegate आपके लिए काम नहीं करता, तो बॉट में सपोर्ट को लिखें (/help)। रिफ़ंड उसी तरीके से लौटता है जिससे आपने भुगतान किया था, और उसके दिन सब्सक्रिप्शन से हटा दिए जाते हैं।
site-faq-devices-q = मैं कितने डिवाइस इस्तेमाल कर सकता हूँ?
site-faq-devices = हर प्लान में डिवाइस की सीमा होती है। सीमा भरने पर खाते में कोई डिवाइस हटाएँ या सभी रीसेट करें।
site-privacy-title = गोपनीयता
site-privacy-desc = Wavegate आपके बारे में क्या रखता है, क्यों, और उसे कैसे हटवाएँ।
site-privacy-data-title = हम क्या रखते हैं
site-privacy-data = आपकी Telegram id, नाम, यूज़रनेम और भाषा; आपका प्लान, भुगतान और रेफ़रल; और डिवाइस सीमा लागू करने के लिए प्लान के डिवाइस (प्लेटफ़ॉर्म और मॉडल)।
site-privacy-traffic-title = आपका ट्रैफ़िक
site-privacy-traffic = हम प्लान की सीमा के लिए सिर्फ़ यह गिनते हैं कि आपने कितना ट्रैफ़िक इस्तेमाल किया। आपकी देखी साइटों या भेजे गए डेटा का कोई रिकॉर्ड नहीं रखते।
site-privacy-pay-title = भुगतान
site-privacy-pay = भुगतान Telegram, Razorpay, Xendit और Crypto Pay संभालते हैं। हमें राशि और एक संदर्भ मिलता है, कार्ड या बैंक विवरण कभी नहीं।
site-privacy-cookies-title = कुकीज़
site-privacy-cookies = यह साइट कुकीज़ सिर्फ़ आपको खाते में साइन इन रखने के लिए लगाती है। कोई विज्ञापन या ट्रैकर नहीं।
site-privacy-rights-title = आपके विकल्प
site-privacy-rights = अपने डेटा की कॉपी पाने या उसे हटवाने के लिए बॉट में सपोर्ट को लिखें।
site-terms-title = सेवा की शर्तें
site-terms-desc = Wavegate VPN सेवा की शर्तें: प्लान, भुगतान, उचित उपयोग और रिफ़ंड।
site-terms-service-title = सेवा
site-terms-service = प्लान अपनी अवधि के लिए, ट्रैफ़िक और डिवाइस सीमा के भीतर VPN देता है। हम इसे हमेशा चालू रखने की कोशिश करते हैं, पर यह वादा नहीं कर सकते कि यह कभी नहीं रुकेगा।
site-terms-pay-title = भुगतान और रिन्यूअल
site-terms-pay = भुगतान से पहले कीमत दिखाई जाती है। Stars सब्सक्रिप्शन हर 30 दिन में रिन्यू होता है, जब तक आप उसे बॉट में रद्द न करें। कीमत बदलने से भुगतान की हुई अवधि पर असर नहीं पड़ता।
site-terms-use-title = उचित उपयोग
site-terms-use = Wavegate का इस्तेमाल किसी ग़ैरक़ानूनी काम, स्पैम या हमलों के लिए न करें, और अपना लिंक अपने डिवाइस के अलावा किसी से साझा न करें। ऐसा करने वाले खाते हम निलंबित कर सकते हैं।
site-terms-refund-title = रिफ़ंड
site-terms-refund = बॉट में सपोर्ट से पूछें। रिफ़ंड उसी तरीके से लौटता है जिससे भुगतान हुआ था, और उससे खरीदे गए दिन समाप्त हो जाते हैं।
site-terms-change-title = बदलाव
site-terms-change = हम इन शर्तों को अपडेट कर सकते हैं; ज़रूरी बदलावों के बारे में बॉट आपको बताएगा।
app-page-title = मेरा खाता — Wavegate
app-desc = आपका Wavegate सब्सक्रिप्शन: लिंक, QR कोड, डिवाइस, भुगतान और इनाम।
app-title = मेरा खाता
app-noscript = खाते के लिए JavaScript ज़रूरी है। आप सब कुछ Telegram बॉट में भी कर सकते हैं।
app-loading = लोड हो रहा है…
app-signin-title = साइन इन करें
app-signin-text = अपने Telegram खाते से साइन इन करें। यहाँ नए हैं? पहले बॉट खोलें और Start दबाएँ।
app-open-telegram = Telegram में खोलें
app-error-signin = Telegram से साइन इन नहीं हो सका। कृपया फिर से कोशिश करें।
app-error-bot-first = पहले Telegram में बॉट खोलें और Start दबाएँ, फिर यहाँ साइन इन करें।
app-error-rate = बहुत ज़्यादा कोशिशें। एक मिनट रुककर फिर से कोशिश करें।
app-error-network = कनेक्शन नहीं है। इंटरनेट जाँचें और फिर से कोशिश करें।
app-sub-title = मेरा सब्सक्रिप्शन
app-no-sub = अभी आपका कोई सब्सक्रिप्शन नहीं है। नीचे एक प्लान चुनें।
app-trial = आपके लिए मुफ़्त ट्रायल तैयार है: इसे बॉट में शुरू करें।
app-plan = प्लान
app-status = स्थिति
app-expires = सक्रिय तक
app-traffic = ट्रैफ़िक
app-traffic-of = { $limit } में से { $used }
app-traffic-unlimited = { $used } इस्तेमाल, असीमित
app-device-limit = डिवाइस
app-link-title = सब्सक्रिप्शन लिंक
app-link-label = आपका निजी लिंक
app-copy = कॉपी करें
app-copied = कॉपी हो गया
app-qr-alt = आपके सब्सक्रिप्शन लिंक का QR कोड
app-revoke = नया लिंक
app-revoke-done = यह रहा आपका नया लिंक। इसे अपने डिवाइस पर फिर से इंपोर्ट करें।
app-guide-title = डिवाइस जोड़ें
app-guide-android = Android
app-guide-ios = iPhone और iPad
app-guide-desktop = Windows और macOS
app-guide-steps = ऐप इंस्टॉल करें, फिर यहाँ उसका बटन दबाएँ। या लिंक कॉपी करके ऐप में क्लिपबोर्ड से इंपोर्ट करें।
app-guide-add = { $app } में जोड़ें
app-devices-title = डिवाइस
app-devices-count = { $limit } में से { $total } इस्तेमाल में
app-devices-empty = अभी तक कोई डिवाइस नहीं जुड़ा।
app-device-added = { $date } को जोड़ा गया
app-device-remove = हटाएँ
app-device-remove-label = { $device } हटाएँ
app-device-confirm = यह डिवाइस हटाएँ? लिंक इंपोर्ट करके यह फिर से जुड़ सकता है।
app-device-removed = डिवाइस हटा दिया गया।
app-devices-reset = सभी डिवाइस रीसेट करें
app-devices-reset-confirm = सभी डिवाइस डिस्कनेक्ट करें? जिन्हें रखना है, उन पर लिंक फिर से इंपोर्ट करें।
app-devices-reset-done = सभी डिवाइस डिस्कनेक्ट कर दिए गए।
app-buy-title = खरीदें या रिन्यू करें
app-checkout-opening = भुगतान खुल रहा है…
app-checkout-invoice = { $price } का बिल खुला है।
app-paid = भुगतान मिल गया! आपका सब्सक्रिप्शन कुछ ही पल में अपडेट होगा।
app-pay-failed = भुगतान नहीं हो सका। कृपया फिर से कोशिश करें।
app-pay-until = { $time } तक भुगतान करें।
app-qris = QRIS से { $price } का भुगतान करें: यह कोड अपने बैंकिंग या ई-वॉलेट ऐप में पेस्ट करें।
app-qris-label = QRIS कोड
app-error-method = यह भुगतान तरीका इस प्लान के लिए उपलब्ध नहीं है।
app-error-plan = यह प्लान अब बिक्री पर नहीं है।
app-promo-label = प्रोमो कोड
app-promo-apply = लागू करें
app-promo-empty = प्रोमो कोड डालें।
app-promo-days = कोड स्वीकार: +{ $days } दिन।
app-promo-percent = कोड स्वीकार: अगली खरीद पर { $percent }% छूट।
app-promo-unknown = ऐसा कोई प्रोमो कोड नहीं है।
app-promo-expired = यह प्रोमो कोड अब मान्य नहीं है।
app-promo-used-up = यह प्रोमो कोड ख़त्म हो चुका है।
app-promo-already-used = आप यह प्रोमो कोड पहले ही इस्तेमाल कर चुके हैं।
app-promo-held = आपके पास पहले से एक छूट है: पहले उसे अगली खरीद पर इस्तेमाल करें।
app-ref-title = दोस्तों को बुलाएँ
app-ref-text = अपना लिंक साझा करें। जब कोई दोस्त पहली बार भुगतान करेगा, आपको मुफ़्त दिन मिलेंगे।
app-ref-link = आपका आमंत्रण लिंक
app-share = साझा करें
app-ref-invited = आमंत्रित:
app-ref-paying = भुगतान किया:
app-ref-days = कमाए गए दिन:
app-top-title = शीर्ष आमंत्रक
app-top-row = #{ $rank } { $name } · { $paying }
app-settings-title = सेटिंग्स
app-signout = साइन आउट
app-cancel = रद्द करें
app-confirm = हाँ, जारी रखें

# The operator console (/admin/): rendered by the site build, like the site- and app- keys.
adm-page-title = ऑपरेटर कंसोल — Wavegate
adm-desc = Wavegate का ऑपरेटर कंसोल: बिक्री, ग्राहक, भुगतान, प्लान, प्रोमो कोड, ब्रॉडकास्ट और सर्वर।
adm-title = ऑपरेटर कंसोल
adm-noscript = कंसोल के लिए JavaScript ज़रूरी है।
adm-signin-text = ऑपरेटरों की सूची वाले Telegram खाते से साइन इन करें।
adm-not-admin-title = ऑपरेटर नहीं
adm-not-admin = यह Telegram खाता इस कंसोल का ऑपरेटर नहीं है। साइन आउट करें, फिर किसी ऑपरेटर के खाते से साइन इन करें।
adm-error = अनुरोध विफल रहा: { $reason }
adm-error-no-panel = इस ग्राहक का अभी पैनल पर कोई यूज़र नहीं है।
adm-refresh = ताज़ा करें
adm-nav-label = कंसोल के भाग
adm-nav-dashboard = डैशबोर्ड
adm-nav-users = ग्राहक
adm-nav-payments = भुगतान
adm-nav-plans = प्लान
adm-nav-promos = प्रोमो कोड
adm-nav-broadcast = ब्रॉडकास्ट
adm-nav-nodes = सर्वर
adm-yes = हाँ
adm-no = नहीं
adm-any = कोई भी
adm-prev = पिछला
adm-next = अगला
adm-page = पेज { $n }
adm-save = सहेजें
adm-apply = लागू करें
adm-tb = { $tb } TB
adm-kpi-users = ग्राहक
adm-kpi-users-new = आज +{ $today } · 7 दिनों में +{ $d7 } · 30 दिनों में +{ $d30 }
adm-kpi-active = सक्रिय सब्सक्रिप्शन
adm-kpi-active-none = कोई सक्रिय सब्सक्रिप्शन नहीं।
adm-kpi-revenue = आय
adm-kpi-revenue-none = पिछले 30 दिनों में कोई भुगतान नहीं।
adm-col-currency = मुद्रा
adm-col-today = आज
adm-col-7d = 7 दिन
adm-col-30d = 30 दिन
adm-kpi-trials = मुफ़्त ट्रायल
adm-kpi-trials-sub = 30 दिनों में { $d30 } · ट्रायल लेने वालों में से { $percent }% ने बाद में भुगतान किया
adm-kpi-referrals = आमंत्रण से आए भुगतानकर्ता
adm-kpi-referrals-sub = { $paying } भुगतान करने वाले ग्राहकों में से { $referred } आमंत्रण से आए
adm-kpi-panel = VPN पैनल
adm-kpi-online = अभी { $now } ऑनलाइन · आज { $today }
adm-kpi-panel-more = { $nodes } सर्वर ऑनलाइन · { $traffic } ट्रैफ़िक
adm-panel-down = पैनल ने जवाब नहीं दिया: { $error }
adm-charts-title = पिछले { $days } दिन
adm-chart-revenue = प्रतिदिन आय
adm-chart-new-paying = प्रतिदिन नए भुगतान करने वाले ग्राहक
adm-chart-active = सक्रिय सब्सक्रिप्शन
adm-chart-plan-mix = प्लान के अनुसार भुगतान
adm-chart-total = कुल: { $total }
adm-plan-bonus = बोनस दिन
adm-provider-stars = Telegram Stars
adm-provider-razorpay = Razorpay
adm-provider-xendit = Xendit
adm-provider-cryptopay = Crypto Pay
adm-provider-trial = ट्रायल
adm-provider-bonus = बोनस
adm-users-search = खोजें
adm-users-hint = Telegram id, @username, नाम का हिस्सा या पैनल का छोटा id।
adm-users-sort = क्रम
adm-sort-newest = नए पहले
adm-sort-oldest = पुराने पहले
adm-sort-expires = जल्दी समाप्त होने वाले पहले
adm-sort-expires-late = देर से समाप्त होने वाले पहले
adm-users-empty = कोई ग्राहक नहीं मिला।
adm-col-id = Telegram id
adm-col-name = नाम
adm-col-joined = जुड़े
adm-col-expires = सक्रिय तक
adm-col-status = स्थिति
adm-col-plan = प्लान
adm-col-payments = भुगतान
adm-col-locale = भाषा
adm-blocked = बॉट को ब्लॉक किया
adm-back-users = ← सभी ग्राहक
adm-user-profile = प्रोफ़ाइल और सब्सक्रिप्शन
adm-field-username = यूज़रनेम
adm-field-traffic = ट्रैफ़िक
adm-field-devices = डिवाइस
adm-field-link = सब्सक्रिप्शन लिंक
adm-field-bonus = बोनस दिन
adm-field-trial = ट्रायल लिया
adm-field-referral-code = रेफ़रल कोड
adm-field-referred-by = आमंत्रित करने वाले
adm-field-online = आख़िरी बार ऑनलाइन
adm-field-panel = पैनल
adm-panel-none = अभी पैनल पर नहीं
adm-panel-missing = पैनल पर मौजूद नहीं
adm-actions = कार्रवाई
adm-extend-days = जोड़ने के दिन
adm-extend = दिन जोड़ें
adm-disable = बंद करें
adm-enable = चालू करें
adm-reset-devices = डिवाइस रीसेट करें
adm-new-link = नया लिंक
adm-confirm-extend = इस ग्राहक को { $days } दिन जोड़ें?
adm-confirm-disable = इस ग्राहक का VPN एक्सेस बंद करें?
adm-confirm-reset = इस ग्राहक के सभी डिवाइस डिस्कनेक्ट करें?
adm-confirm-link = नया सब्सक्रिप्शन लिंक बनाएँ? पुराना काम करना बंद कर देगा।
adm-done-extend = { $days } दिन जोड़े गए: पैनल को ये कुछ ही पलों में मिल जाएँगे।
adm-done = हो गया।
adm-user-payments = भुगतान
adm-user-orders = ऑर्डर
adm-user-referrals = आमंत्रित दोस्त
adm-user-audit = ऑडिट रिकॉर्ड
adm-none-yet = अभी कुछ नहीं।
adm-col-number = #
adm-col-date = तारीख़
adm-col-customer = ग्राहक
adm-col-provider = चैनल
adm-col-amount = राशि
adm-col-kind = प्रकार
adm-col-order = ऑर्डर
adm-col-external = प्रदाता का संदर्भ
adm-col-days = दिन
adm-col-paid = भुगतान किया
adm-col-actor = किसने
adm-col-action = कार्रवाई
adm-col-change = बदलाव
adm-pay-pending = लंबित
adm-pay-completed = पूरा
adm-pay-failed = विफल
adm-pay-refunded = रिफ़ंड हुआ
adm-order-paid = भुगतान हुआ
adm-order-provisioned = सक्रिय किया गया
adm-order-cancelled = रद्द
adm-kind-purchase = ख़रीद
adm-kind-renewal = नवीनीकरण
adm-kind-trial = ट्रायल
adm-kind-bonus = बोनस
adm-refund = रिफ़ंड
adm-refund-label = भुगतान #{ $id } का रिफ़ंड करें
adm-refund-confirm = { $amount } के भुगतान #{ $id } का रिफ़ंड करें? इससे ख़रीदे गए दिन वापस ले लिए जाएँगे।
adm-refund-done = भुगतान #{ $id } का रिफ़ंड हो गया।
adm-refund-requested = { $provider } ने भुगतान #{ $id } का रिफ़ंड स्वीकार किया; पुष्टि आने पर यह पूरा होगा।
adm-refund-refused = भुगतान #{ $id } का रिफ़ंड नहीं हुआ: { $reason }
adm-filter-from = से
adm-filter-to = तक
adm-csv = CSV डाउनलोड करें
adm-payments-empty = कोई मेल खाता भुगतान नहीं।
adm-plans-intro = कीमतें हर मुद्रा की सामान्य इकाइयों में हैं। ख़ाली कीमत का मतलब है कि उस मुद्रा में प्लान नहीं बिकेगा। बदलाव केवल नए ऑर्डर पर लागू होते हैं।
adm-field-name = नाम
adm-field-days = दिन
adm-field-traffic-gb = ट्रैफ़िक, GB (0 = असीमित)
adm-field-device-limit = डिवाइस (0 = कोई सीमा नहीं)
adm-field-active = बिक्री पर
adm-plan-saved = प्लान “{ $plan }” सहेजा गया।
adm-plan-unchanged = कुछ नहीं बदला।
adm-plan-updated = { $date } को बदला गया
adm-promo-new = नया प्रोमो कोड
adm-field-code = कोड
adm-field-kind = प्रकार
adm-promo-kind-days = मुफ़्त दिन
adm-promo-kind-percent = छूट, %
adm-field-value = मान
adm-field-max-uses = उपयोग (ख़ाली = असीमित)
adm-field-last-day = आख़िरी दिन (ख़ाली = कोई अंत नहीं)
adm-create = बनाएँ
adm-promo-created = कोड { $code } बनाया गया।
adm-promo-list = प्रोमो कोड
adm-col-code = कोड
adm-col-value = मान
adm-col-uses = उपयोग हुए
adm-col-valid = मान्य तक
adm-col-active = सक्रिय
adm-promo-days = +{ $value } दिन
adm-promo-percent = { $value }% छूट
adm-unlimited = असीमित
adm-deactivate = निष्क्रिय करें
adm-deactivate-label = { $code } निष्क्रिय करें
adm-deactivate-confirm = कोड { $code } निष्क्रिय करें? इसके बाद कोई इसे इस्तेमाल नहीं कर पाएगा।
adm-promo-deactivated = कोड { $code } निष्क्रिय किया गया।
adm-bc-text = संदेश
adm-bc-hint = Telegram HTML: <b>, <i>, <u>, <s>, <code>, <pre> और <a href="https://…">। आख़िरी पंक्ति “button: Label | https://…” एक लिंक बटन जोड़ती है।
adm-bc-audience = प्राप्तकर्ता
adm-aud-all = सभी
adm-aud-active = सक्रिय सब्सक्राइबर
adm-aud-expired = समाप्त सब्सक्रिप्शन वाले
adm-aud-never-paid = कभी भुगतान नहीं किया
adm-bc-locale = भाषा
adm-bc-any-locale = सभी भाषाएँ
adm-bc-preview = पूर्वावलोकन
adm-bc-send = भेजें
adm-bc-preview-title = ग्राहक यह देखेंगे
adm-bc-recipients = प्राप्तकर्ता: { $n }
adm-bc-counts = सभी { $all } · सक्रिय { $active } · समाप्त { $expired } · कभी भुगतान नहीं { $neverPaid }
adm-bc-empty = पहले संदेश लिखें।
adm-bc-confirm = यह संदेश { $n } ग्राहकों को भेजें?
adm-bc-started = ब्रॉडकास्ट #{ $id } शुरू हुआ।
adm-bc-progress-title = ब्रॉडकास्ट #{ $id }
adm-bc-progress = { $sent } भेजे गए · { $blocked } ब्लॉक · { $failed } विफल · { $pending } प्रतीक्षा में
adm-bc-cancel = भेजना रोकें
adm-bc-cancel-confirm = यह ब्रॉडकास्ट रोकें? जिन्हें संदेश मिल चुका है, उनके पास वह रहेगा।
adm-bc-recent = हाल के ब्रॉडकास्ट
adm-bc-draft = ड्राफ़्ट
adm-bc-sending = भेजा जा रहा है
adm-bc-done = पूरा
adm-bc-cancelled = रोका गया
adm-col-text = टेक्स्ट
adm-col-total = प्राप्तकर्ता
adm-col-sent = भेजे गए
adm-col-node = सर्वर
adm-col-country = देश
adm-col-address = पता
adm-col-online = ऑनलाइन
adm-col-traffic = ट्रैफ़िक
adm-col-health = हेल्थ चेक
adm-node-connected = जुड़ा हुआ
adm-node-disconnected = डिस्कनेक्ट
adm-node-disabled = बंद
adm-node-up-since = { $time } से चालू
adm-node-down-since = { $time } से बंद
adm-nodes-empty = कोई सर्वर नहीं।
