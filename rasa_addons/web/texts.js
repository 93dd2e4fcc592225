// Every word the page itself says, in English and in Chinese, in one place (the bot's own
// answers come from Rasa in the conversation's language). {name} marks a value filled in.
export const TEXTS = {
  en: {
    title: "Public legal services assistant",
    intro: "Ask about legal aid, the 12348 hotline, mediation, notarization, arbitration, judicial appraisal and lawyers, in English or Chinese. General legal information, not legal advice.",
    question_label: "Your question",
    send: "Send",
    hint: "Enter sends; Shift+Enter starts a new line.",
    typing: "The assistant is typing…",
    you: "You",
    assistant: "Assistant",
    buttons_label: "Suggested replies",
    error: "Sorry, the assistant did not answer. Please try again in a moment. For help now, call the 12348 public legal service hotline.",
    timeout: "Sorry, the assistant took too long to answer. Please try again. For help now, call the 12348 public legal service hotline.",
    too_long: "Your message is too long: at most {limit} characters, please.",
    rate_limited: "You are sending messages faster than the assistant can take them. Please wait {seconds} seconds and try again.",
    empty_question: "Please type your question first.",
    privacy: "Privacy: this browser keeps a random id so the conversation continues after a reload. The server keeps your messages and its answers under a pseudonym, and deletes them {days} days after your last message. Nothing is shared. “Forget me” deletes them now.",
    forget: "Forget me",
    forget_confirm: "Delete this conversation from the server and start again?",
    forgotten: "Your conversation was deleted. You can start a new one.",
    forget_failed: "Sorry, the conversation could not be deleted right now. Please try again, or call 12348.",
    chart_table_year: "Year",
    chart_table_figure: "Figure",
    link: "Open link",
  },
  zh: {
    title: "公共法律服务助手",
    intro: "您可以用中文或英文咨询法律援助、12348热线、人民调解、公证、仲裁、司法鉴定和律师服务。本助手提供一般法律信息，不构成法律意见。",
    question_label: "您的问题",
    send: "发送",
    hint: "按回车发送，按Shift+回车换行。",
    typing: "助手正在输入……",
    you: "您",
    assistant: "助手",
    buttons_label: "可选回复",
    error: "抱歉，助手暂时没有回复，请稍后再试。如需帮助，请拨打12348公共法律服务热线。",
    timeout: "抱歉，助手回复超时，请再试一次。如需帮助，请拨打12348公共法律服务热线。",
    too_long: "您的消息太长了，请不要超过{limit}个字符。",
    rate_limited: "您发送消息的速度太快了，请等待{seconds}秒后再试。",
    empty_question: "请先输入您的问题。",
    privacy: "隐私说明：本浏览器会保存一个随机编号，以便刷新页面后继续对话。服务器以化名保存您的消息和助手的回答，并在您最后一条消息{days}天后删除，不会提供给他人。点击“删除我的对话”可立即删除。",
    forget: "删除我的对话",
    forget_confirm: "要从服务器上删除本次对话并重新开始吗？",
    forgotten: "您的对话已删除，可以开始新的对话。",
    forget_failed: "抱歉，暂时无法删除对话，请稍后再试，或拨打12348。",
    chart_table_year: "年份",
    chart_table_figure: "数据",
    link: "打开链接",
  },
};

export function say(language, key, values = {}) {
  const template = (TEXTS[language] || TEXTS.en)[key];
  return template.replace(/\{(\w+)\}/g, (_, name) => String(values[name] ?? ""));
}
