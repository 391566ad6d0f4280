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
