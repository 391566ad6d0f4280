// Builders for Telegram updates as the Bot API sends them.

let nextMessageId = 1000;

/** A private-chat text message from a user. */
export function textUpdate(updateId, { userId, text, languageCode = 'en', firstName = 'Test', username } = {}) {
  const from = { id: userId, is_bot: false, first_name: firstName, language_code: languageCode };
  if (username) from.username = username;
  return {
    update_id: updateId,
    message: {
      message_id: ++nextMessageId,
      from,
      chat: { id: userId, first_name: firstName, type: 'private' },
      date: Math.floor(Date.now() / 1000),
      text,
      ...(text.startsWith('/') ? { entities: [{ offset: 0, length: text.split(' ')[0].length, type: 'bot_command' }] } : {}),
    },
  };
}

/** A press on an inline button under the bot message `messageId`. */
export function callbackUpdate(updateId, { userId, data, messageId = 1, languageCode = 'en' }) {
  return {
    update_id: updateId,
    callback_query: {
      id: String(updateId * 7),
      from: { id: userId, is_bot: false, first_name: 'Test', language_code: languageCode },
      message: {
        message_id: messageId,
        from: { id: 7000000001, is_bot: true, first_name: 'Wavegate', username: 'WavegateTestBot' },
        chat: { id: userId, type: 'private' },
        date: Math.floor(Date.now() / 1000),
        text: 'menu',
      },
      chat_instance: '1',
      data,
    },
  };
}

/** The callback_data of every button of an inline keyboard. */
export function callbackData(replyMarkup) {
  return (replyMarkup?.inline_keyboard ?? []).flat().map((b) => b.callback_data);
}

const payer = (userId, languageCode = 'en') => ({ id: userId, is_bot: false, first_name: 'Test', language_code: languageCode });

/** Telegram asking the bot to confirm a checkout. */
export function preCheckoutUpdate(updateId, { userId, payload, amount, currency = 'XTR' }) {
  return {
    update_id: updateId,
    pre_checkout_query: { id: `pcq-${updateId}`, from: payer(userId), currency, total_amount: amount, invoice_payload: payload },
  };
}

/** A completed Stars payment, as a service message in the payer's chat. */
export function paymentUpdate(updateId, { userId, payload, amount, chargeId, currency = 'XTR', recurring = false, first = false, expiresAt }) {
  const successful_payment = {
    currency,
    total_amount: amount,
    invoice_payload: payload,
    telegram_payment_charge_id: chargeId,
    provider_payment_charge_id: '',
  };
  if (recurring) successful_payment.is_recurring = true;
  if (first) successful_payment.is_first_recurring = true;
  if (expiresAt) successful_payment.subscription_expiration_date = expiresAt;
  return {
    update_id: updateId,
    message: {
      message_id: ++nextMessageId,
      from: payer(userId),
      chat: { id: userId, type: 'private', first_name: 'Test' },
      date: Math.floor(Date.now() / 1000),
      successful_payment,
    },
  };
}

/** A Stars refund notice. */
export function refundUpdate(updateId, { userId, payload, amount, chargeId }) {
  return {
    update_id: updateId,
    message: {
      message_id: ++nextMessageId,
      from: payer(userId),
      chat: { id: userId, type: 'private', first_name: 'Test' },
      date: Math.floor(Date.now() / 1000),
      refunded_payment: { currency: 'XTR', total_amount: amount, invoice_payload: payload, telegram_payment_charge_id: chargeId },
    },
  };
}
