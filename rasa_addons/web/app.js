// The chat page: talks to this server's /webhooks/web/ API only (same origin, CSP connect-src).
import { botBubble, noticeBubble, userBubble } from "./render.js";
import { say } from "./texts.js";

const API = "/webhooks/web";
const VISITOR_KEY = "legal-assistant-visitor";
// Rasa answers in well under a second; a minute covers a cold knowledge base and a retry.
const TIMEOUT_MS = 30000;
const HAN = /[\u3400-\u9fff]/g;
const LATIN_WORD = /[A-Za-z]{2,}/g;
// assistant/language.py's first rule: Chinese when there are more than two Han characters
// per English word ("what is 值班律师" is English). Rasa decides the reply's language; this
// only chooses the language of an error shown when no reply came.
const HAN_CHARACTERS_PER_WORD = 2;

const root = document.documentElement;
const log = document.getElementById("log");
const form = document.getElementById("ask");
const box = document.getElementById("question");
const typing = document.getElementById("typing");
const forgetButton = document.getElementById("forget");
const maxCharacters = Number(root.dataset.maxCharacters) || 2000;
box.maxLength = maxCharacters;

// The browser's language first; once the conversation has one (the server says), that one.
let language = (navigator.languages || [navigator.language || "en"])[0].toLowerCase().startsWith("zh") ? "zh" : "en";
let queue = Promise.resolve();

function newVisitor() {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  const id = Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
  localStorage.setItem(VISITOR_KEY, id);
  return id;
}

let visitor = /^[0-9a-f]{32}$/.test(localStorage.getItem(VISITOR_KEY) || "") ? localStorage.getItem(VISITOR_KEY) : newVisitor();

function applyLanguage(next) {
  if (next === "en" || next === "zh") language = next;
  root.lang = language === "zh" ? "zh-CN" : "en";
  document.title = say(language, "title");
  document.getElementById("heading").textContent = say(language, "title");
  document.getElementById("intro").textContent = say(language, "intro");
  document.getElementById("question-label").textContent = say(language, "question_label");
  document.getElementById("send").textContent = say(language, "send");
  document.getElementById("hint").textContent = say(language, "hint");
  document.getElementById("privacy").textContent = say(language, "privacy", { days: root.dataset.retentionDays });
  forgetButton.textContent = say(language, "forget");
  typing.textContent = say(language, "typing");
}

function chartWidth() {
  return log.clientWidth - 40;
}

function show(element) {
  log.append(element);
  element.scrollIntoView({ block: "nearest" });
}

function showBot(messages) {
  for (const message of messages) show(botBubble(message, language, chartWidth(), choose));
}

async function post(path, body) {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), TIMEOUT_MS);
  try {
    return await fetch(`${API}/${path}`, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ visitor, ...body }),
      signal: controller.signal,
    });
  } finally {
    clearTimeout(timer);
  }
}

// One question and its answer; a failure of any kind is said, in the question's language.
async function exchange(text, shownAs) {
  // The question's own language (Chinese characters, else English words), else the page's:
  // digits or an emoji alone keep the conversation's language, as on the Rasa side.
  const words = shownAs || text;
  const han = (words.match(HAN) || []).length;
  const latinWords = (words.match(LATIN_WORD) || []).length;
  const asked = han + latinWords === 0 ? language : han > HAN_CHARACTERS_PER_WORD * latinWords ? "zh" : "en";
  show(userBubble(shownAs || text, asked));
  typing.hidden = false;
  let problem = null;
  try {
    const response = await post("message", { message: text, language: asked, shown_as: shownAs || undefined });
    const reply = await response.json().catch(() => ({}));
    if (response.status === 413) problem = say(asked, "too_long", { limit: reply.limit || maxCharacters });
    else if (response.status === 429) problem = say(asked, "rate_limited", { seconds: reply.retry_after || 60 });
    else if (!response.ok || !Array.isArray(reply.messages) || reply.messages.length === 0) problem = say(asked, "error");
    else {
      applyLanguage(reply.language || asked);
      showBot(reply.messages);
    }
  } catch (error) {
    problem = say(asked, error.name === "AbortError" ? "timeout" : "error");
  } finally {
    typing.hidden = true;
  }
  if (problem) show(noticeBubble(problem, "error"));
}

function ask(text, shownAs = null) {
  queue = queue.then(() => exchange(text, shownAs));
  return queue;
}

function choose(title, payload) {
  box.focus();
  ask(payload, title);
}

form.addEventListener("submit", (event) => {
  event.preventDefault();
  const text = box.value.trim();
  if (!text) {
    show(noticeBubble(say(language, "empty_question"), "info"));
    return;
  }
  box.value = "";
  ask(text);
});

box.addEventListener("keydown", (event) => {
  if (event.key === "Enter" && !event.shiftKey && !event.isComposing) {
    event.preventDefault();
    form.requestSubmit();
  }
});

forgetButton.addEventListener("click", async () => {
  if (!window.confirm(say(language, "forget_confirm"))) return;
  await queue;
  let ok = false;
  try {
    ok = (await post("forget", {})).ok;
  } catch (error) {
    ok = false;
  }
  if (!ok) {
    show(noticeBubble(say(language, "forget_failed"), "error"));
    return;
  }
  visitor = newVisitor();
  log.replaceChildren();
  show(noticeBubble(say(language, "forgotten"), "info"));
  box.focus();
});

async function restore() {
  try {
    const response = await post("history", {});
    const reply = await response.json();
    if (!response.ok) return;
    applyLanguage(reply.language);
    for (const message of reply.messages || []) {
      if (message.from === "user") show(userBubble(message.text, language));
      else show(botBubble(message, language, chartWidth(), choose));
    }
  } catch (error) {
    // No history is no loss: the conversation continues on the server all the same.
  }
}

applyLanguage(language);
queue = restore().then(() => { root.dataset.ready = "true"; });
