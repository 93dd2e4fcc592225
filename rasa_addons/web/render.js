// Messages as DOM nodes. Everything the person or the bot wrote goes in as text
// (textContent, text nodes): a message that contains markup is shown as those characters.
import { drawChart } from "./chart.js";
import { say } from "./texts.js";

// Web addresses in the bot's answers ("www.12348.gov.cn", "https://…") become links.
const ADDRESS = /\b(?:https?:\/\/|www\.)[^\s<>"'，。；、）)]+[^\s<>"'，。；、）).,;:!?]/g;

export function textWithLinks(text, language) {
  const fragment = document.createDocumentFragment();
  let last = 0;
  for (const match of text.matchAll(ADDRESS)) {
    fragment.append(document.createTextNode(text.slice(last, match.index)));
    const link = document.createElement("a");
    const address = match[0];
    link.href = address.startsWith("www.") ? `https://${address}` : address;
    link.textContent = address;
    link.rel = "noopener noreferrer";
    link.target = "_blank";
    link.lang = language === "zh" ? "zh-CN" : "en";
    fragment.append(link);
    last = match.index + address.length;
  }
  fragment.append(document.createTextNode(text.slice(last)));
  return fragment;
}

function speaker(name) {
  const label = document.createElement("span");
  label.className = "visually-hidden";
  label.textContent = `${name}: `;
  return label;
}

export function userBubble(text, language) {
  const item = document.createElement("div");
  item.className = "message user";
  const body = document.createElement("p");
  body.append(speaker(say(language, "you")), document.createTextNode(text));
  item.append(body);
  return item;
}

// One bot message; `onButton(title, payload)` is called when one of its buttons is chosen.
export function botBubble(message, language, width, onButton) {
  const item = document.createElement("div");
  item.className = "message bot";
  if (message.text) {
    const body = document.createElement("p");
    body.append(speaker(say(language, "assistant")), textWithLinks(message.text, language));
    item.append(body);
  }
  if (message.link && /^https?:\/\//.test(message.link)) {
    const link = document.createElement("a");
    link.href = message.link;
    link.textContent = say(language, "link");
    link.rel = "noopener noreferrer";
    link.target = "_blank";
    item.append(link);
  }
  if (message.chart) item.append(drawChart(message.chart, width));
  if (message.buttons && message.buttons.length) {
    const group = document.createElement("div");
    group.className = "buttons";
    group.setAttribute("role", "group");
    group.setAttribute("aria-label", say(language, "buttons_label"));
    for (const choice of message.buttons) {
      const button = document.createElement("button");
      button.type = "button";
      button.textContent = choice.title || choice.payload;
      button.addEventListener("click", () => onButton(choice.title, choice.payload));
      group.append(button);
    }
    item.append(group);
  }
  return item;
}

export function noticeBubble(text, kind) {
  const item = document.createElement("div");
  item.className = `message notice ${kind}`;
  const body = document.createElement("p");
  body.textContent = text;
  item.append(body);
  return item;
}
