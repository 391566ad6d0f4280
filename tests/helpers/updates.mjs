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
