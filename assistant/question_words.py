"""The words that say what a short message asks (issue #21): for figures, a price, a contact,
how to use a service, the same question again, the figure just given... Read by
assistant/follow_up.py against the previous answer. Pure standard library.
"""
from __future__ import annotations

import re

NAMES_A_SERVICE = re.compile(
    # 法律.助 / 法律援.: one slipped character ("法律缓助", "法律援住") still names legal aid.
    r"法律援助|法律.助|法律援.|法援|援助|调解|公证|仲裁|鉴定|律师|12348|热线|法网|法院|劳动|工资|欠薪|离婚|"
    r"法律顾问|法律服务网|公共法律服务|辩护|"
    r"\b(legal aid|mediat\w*|notar\w*|arbitrat\w*|apprais\w*|lawyers?|hotline|court|labou?r|wages?|divorce|"
    r"legal advis\w*|legal counsel\w*|legal service network|public legal services?|defen[cs]e)\b",
    re.IGNORECASE)
EXCEPT_LEGAL_AID = re.compile(r"除了(?:法律援助|法援)|\b(?:besides|apart from|other than|except) legal aid\b",
                              re.IGNORECASE)
COURT = re.compile(r"法院|\b(?:the |a )?court\b", re.IGNORECASE)
NAMES_LEGAL_AID = re.compile(r"法律援助|法援|legal aid", re.IGNORECASE)
# Words that point back at the last answer, or ask one more thing about it.
FOLLOW_UP_WORDS = re.compile(
    r"这|那|它|其|他们|她们|呢|吗|嘛|么|多久|多长|多少|贵|费|免费|收钱|交钱|哪|怎么|咋|能不能|可以|要不要|"
    r"需要|还|先|然后|过了|期限|时效|加急|多快|几天|什么时候|谁|起诉|告|啥"
    r"|\b(it|its|they|them|their|this|that|there|those|these|he|she|him|her|do i|can i|should i|"
    r"do we|can we|should we|shall we|how long|"
    r"how much|how fast|where|when|who|what if|and if|but if|if (?:he|she|they|the other)|what else|"
    r"free|cost|costs|fee|fees|pay|time limit|deadline|"
    r"apply|file|sue|first|then|else|since when|so|also|too|do they|does it|is it|are they)\b"
    r"|^(?:is|are|does|do|will|can) the\b",
    re.IGNORECASE,
)
# "ok how do i start one", "where do i get one" after the answer on a service: that service.
ASKS_FOR_ONE = re.compile(r"\b(?:start|get|request|book|apply for|file|find|arrange|set up|ask for) (?:one|it)\b(?! of)"
                          r"|(?:怎么|咋|如何|去哪|上哪)(?:申请|弄|办|找|预约)(?:一个|一下)", re.IGNORECASE)
# Doubts about the figures themselves ("why should i believe these stats", "这些数据靠谱吗"): where
# they come from, not which figures.
DOUBTS_THE_FIGURES = re.compile(
    r"(?:这些|你们?的?)(?:数据|数字|统计)\S{0,4}(?:可信|靠谱|准确|真的假的|权威|编的|假的|可靠|能信|信得过)"
    r"|(?:能信|可信|相信|信得过)(?:你们?的?|这些|这个)(?:数据|数字|统计)"
    r"|\b(?:believe|trust)\b.{0,12}\b(?:these|your|those) (?:stats|statistics|numbers|figures|data)\b"
    r"|\b(?:these|your|those) (?:stats|statistics|numbers|figures|data)\b.{0,20}"
    r"\b(?:reliable|accurate|real|legit|trustworthy|made up|fake)\b",
    re.IGNORECASE)
# Words that ask for a figure; without one, a short follow-up to a service is not about figures.
ASKS_FOR_FIGURES = re.compile(
    r"多少|(?<!哪)几个|几家|几名|几件|数据|数字|[查问]个?数|比例|百分|(?<!效)率|统计|人次|人数|数量|总数|规模|变化|趋势|增长|增加|减少|历年|\d"
    r"|\b(how many|how much|number|numbers|figure|figures|percent|percentage|rate|statistics|stats|count|"
    r"total|per year|a year|changed?|trend|grown|growth|increased?|decreased?|over the years)\b",
    re.IGNORECASE,
)
# "老人要赡养费 可以申请法援吗", "can legal aid help me with this": a problem told with the
# question whether legal aid is open to the person asks for the pre-check, not the routes.
ASKS_IF_LEGAL_AID_FOR_ME = re.compile(
    r"(能|可以|能不能|可不可以|够不够|符不符合|有没有|申请得?了?).{0,4}(法律援助|法援)|(法律援助|法援).{0,6}(吗|么|不|没有)"
    r"|\b(can|could|will|would|do|does|am|is)\b.{0,40}\b(legal aid|free lawyer)\b"
    r".{0,20}\b(help|cover|me|us|him|her|this)\b"
    r"|\b(can|could|may) (i|we|he|she|they|my \w+) (get|have|apply for|receive) (a )?(free )?"
    r"(legal aid|legal-aid|free lawyer)\b"
    r"|\b(do i|do we|does he|does she|would i|would we) qualify\b|\b(am i|are we|is he|is she) eligible\b"
    r"|\blegal aid\s*\?+\s*$",
    re.IGNORECASE,
)
# "多少钱", "how much does it cost": a price, not a figure.
ASKS_A_PRICE = re.compile(
    r"多少钱|几块|几百|收费|收\s*\d+|\d+\s*(?:块|元)|交钱|去哪交|付钱|出钱|掏钱|花钱"
    r"|\bhow much (?:does|is|do|will|would)\b|\bcost|\d+\s*(?:yuan|rmb|kuai)\b|\bpay\b|\bfees?\b|\bcharges?\b",
    re.IGNORECASE)
# A question answered yes or no ("都有律师辩护吗", "is it open at night") asks for no figure.
YES_OR_NO = re.compile(r"吗|是否|是不是|有没有|能不能|可不可以|对吧|是吧|对不对"
                       r"|^(?:is|are|do|does|did|can|could|will|has|have)\b"
                       # a statement with a tag: "12348 only takes calls from lawyers yeah?"
                       r"|\b(?:right|yeah|yes|correct|true|isnt it|doesnt it|dont they)\s*\?+\s*$",
                       re.IGNORECASE)
SERVICE_NUMBER = re.compile(r"(?<!\d)1\d{4}(?!\d)")
ASKS_A_CONTACT = re.compile(r"网址|电话|号码|地址|联系方式|网站|\b(?:phone|website|address|url|number to call|"
                            r"(?:hotline|phone|telephone|contact|their|its) number|number again)\b",
                             re.IGNORECASE)
# "你们那个法律援助自测怎么弄", "legal aid self test": the pre-check by name.
ASKS_FOR_THE_CHECK = re.compile(
    r"(?:法律援助|法援).{0,6}(?:自测|自查|测试|测一测|测一下)|(?:自测|自查|测一下|测测).{0,6}(?:法律援助|法援)"
    r"|\b(?:legal aid|eligibility) (?:self[- ]?test|self[- ]?check|quiz|test|checker)\b"
    # "想申请法律援助 帮她查查", "legal aid eligibility check", "check if i qualify for legal aid"
    r"|(?:法律援助|法援).{0,8}(?:帮|给)?[我她他]?(?:查查|查一下|查一查|看看够不够|看看符不符合)"
    r"|\bcheck (?:legal aid|my eligibility|if i can get legal aid) for (?:me|us|him|her)\b"
    r"|\beligibility check\b|\bcheck (?:if|whether) (?:i|we|he|she|they|my \w+) (?:qualif\w+|(?:is|am|are) eligible)",
    re.IGNORECASE)
# "我想申请法律援助", "i want to apply for legal aid": a wish to apply, not a question on how to,
# which the pre-check answers first (its outcome says where to apply and what to bring).
WANTS_TO_APPLY = re.compile(
    r"^(?:你好|您好|hi|hello)?[，,\s]*(?:我|我们|我家|俺)?(?:的)?(?:妈|爸|老公|老婆|爷爷|奶奶|姥姥|姥爷|外婆|外公|哥|姐|弟|妹"
    r"|儿子|女儿|孩子|朋友|亲戚|她|他)?(?:想|要|打算|准备|需要)(?:申请|申|办|找)(?:一下|个)?(?:法律援助|法援)"
    r"|^(?:hi|hello)?[,\s]*(?:i|we|my \w+|he|she) (?:want|wants|wanna|would like|need|needs|d like) to "
    r"(?:apply for|get) (?:free )?legal aid\b",
    re.IGNORECASE)
# How, where, what or when: a question on applying, not only the wish to.
ASKS_HOW_TO_APPLY = re.compile(
    r"怎么|怎样|如何|哪|流程|材料|步骤|多久|要带|手续|条件|\b(how|where|what|when|which|documents?|steps?)\b",
    re.IGNORECASE)
# After the pre-check or another answer, "那我还能找谁帮忙", "so what can i do then": the routes
# of the problem told before, not how to apply.
ASKS_WHAT_ELSE = re.compile(
    r"还能找谁|找谁帮忙|还能怎么办|那怎么办|那咋办|那我咋办|那我怎么办|还有什么办法|别的办法|其他办法|其他途径|别的途径"
    r"|\bwhat (?:can|should|else can|else should) (?:i|we) do\b|\bwho (?:else )?can help\b|\b(?:other|my) options\b"
    r"|\bwhere else\b|\bany other way\b"
    # "那我现在先干啥", "那我还能咋办", "so what do i do now": what next, opened as a continuation.
    r"|^(?:那|那么|所以)[^，,。？?]{0,6}(?:咋办|怎么办|干啥|干什么|做什么|咋整|咋弄)"
    r"|^\W*(?:so|then|ok so|okay so)\b.{0,12}\bwhat (?:do|should|can) (?:i|we) do\b|\bwhat now\b",
    re.IGNORECASE)
# "不是欠薪 是工伤", "no its a work injury not wages": an answer of the pre-check corrected
# after its outcome was given, which the check then reads again.
CORRECTS_AN_ANSWER = re.compile(
    r"^\W*(?:不是|不对|搞错了|弄错了|错了)[^？?]{0,12}(?:是|而是)"
    r"|^\W*(?:no|nope|wrong|not)\b[^?]{0,30}\b(?:its|it is|it was|i said|i meant|i mean)\b"
    r"|^\W*(?:its|it is|it was) (?:not|a|an|about)\b[^?]{0,30}\bnot\b"
    r"|^\W*(?:(?:wait|oh|sorry|hmm)\W+)?actually\W+(?:he|she|they|i|we|my \w+)\s+"
    r"(?:did|was|is|am|are|has|have|do|does|hit|hits|beat|beats|work|works|earn|earns)"
    r"\b(?![^?]*\?)"
    r"|^\W*(?:等等|等一下|不好意思|对了)?\W*其实(?:他|她|我|我们|孩子|老公|老婆)(?:也|还|是|有|被|动过|打过)(?!.*[?？吗呢])",
    re.IGNORECASE)
# "even tho i have a job?", "我有工作也行吗", "do i need to prove im poor": the person's means, told
# after the outcome, which the check then weighs (or says it need not).
STATES_MEANS = re.compile(
    r"证明.{0,4}(?:穷|没钱|困难|收入)|(?:有工作|有收入|有工资|不穷|有钱|工资高|收入高|挣得多|挣得不少|收入还行).{0,6}(?:也|还|呢|吗)"
    r"|\beven (?:tho|though|if|with) (?:i|we|he|she) (?:have|has|earn|earns|make|makes|got|am|is)\b"
    r"|\bprove (?:my|that i|i am|im|i m|our|his|her) (?:poor|poverty|income|broke|hardship)",
    re.IGNORECASE)

# "我是四川出来打工的", "hes deaf btw": a fact the check asks about, told after its outcome.
STATES_A_FACT = re.compile(
    r"^\W*(?:(?:对了|哦|噢|另外|还有|忘了说|补充一下)\W*)?(?:我|他|她|我们)(?:也|还|其实)?是[^？?]{0,10}"
    r"(?:打工|务工|农民工|民工|残疾|低保|特困|五保|未成年|聋|盲|哑)"
    r"|^\W*(?:(?:oh|and|also|btw|ah|wait|forgot to say)\W+){0,3}"
    r"(?:i am|im|i'm|he is|hes|he's|she is|shes|she's|we are|were|we're)\b[^?]{0,20}"
    r"\b(?:migrant|disabled|on dibao|a minor|under 18|deaf|blind|mute)\b",
    re.IGNORECASE)


# Money words: after the outcome, a remark on one's means ("i earn ok money though") asks who qualifies.
MENTIONS_MEANS = re.compile(
    r"收入|工资|挣|穷|有钱|没钱|存款|有工作|困难标准|标准到底|什么标准|标准是多少|标准多少|标准是什么"
    r"|\b(?:earn\w*|income|salary|money|poor|rich|broke|savings|a job|have work|threshold|means test"
    r"|(?:decent|good|steady|stable|full[- ]time|proper|real|well[- ]paid) job)\b",
    re.IGNORECASE)
# After the outcome, where to apply and how long it takes (read before the problem's routes).
ASKS_TO_APPLY_OR_WAIT = re.compile(
    r"申请|去哪|上哪|多久|多长时间|几天"
    r"|\b(?:apply\w*|applications?|where do i send|where do i go|where (?:do|should|can) (?:i|we) go"
    r"|how long|how soon)\b",
    re.IGNORECASE)


def revises_an_answer(text: str) -> bool:
    """Whether a message after the pre-check's outcome corrects or adds to what it read."""
    return bool(CORRECTS_AN_ANSWER.search(text) or STATES_MEANS.search(text) or STATES_A_FACT.search(text))


# Words that ask how to use a service rather than for its figures.
ASKS_HOW = re.compile(
    r"怎么|咋|如何|哪里|哪儿|去哪|在哪|联系|电话|找谁|找他|找她|申请|流程|手续|材料|要带|多久来|上门|收费|要钱"
    r"|本人去|亲自去|代办|代她|代他|替她|替他|帮她办|帮他办"
    r"|\b(how do|how can|how to|where|contact|phone|call|reach|apply|process|visit|find one|find them|start|next"
    r"|in person|on (?:her|his|my) behalf|for her|for him)\b",
    re.IGNORECASE,
)
# "农村居民的", "上海的有吗": after figures, the same figures of something else, said in a few words.
OF_SOMETHING_ELSE = re.compile(r"^(?![是真好对])[^，,。？?！!\s]{2,8}的(?:呢|吗|有吗|有没有|是多少)?[?？]?$")
# "can i call 12348 and talk in english", "热线能不能讲英语": whether a service can, not a request.
ASKS_WHETHER_A_SERVICE_CAN = re.compile(
    r"能不能|可不可以|可以.{0,8}吗|有没有|\b(?:can i|can we|can you|do they|does it|is there|are there|will they)\b",
    re.IGNORECASE)
# "…呢", "and …?", "what about …": the same question again, about something else.
ASKS_THE_SAME = re.compile(r"呢[?？]?$|^(?:那|还有)|^(and|what about|how about)\b", re.IGNORECASE)
# "how many days", "几个月": a duration, not a figure.
ASKS_FOR_A_DURATION = re.compile(
    r"[几多少]+个?(?:天|周|星期|月|年|小时)|\bhow many (?:days|weeks|months|years|hours)\b", re.IGNORECASE)
# "is it free", "贵不贵": a question on what the service costs, not for one more figure.
ASKS_ABOUT_A_COST = re.compile(r"免费|贵|便宜|\b(free|expensive|cheap)\b", re.IGNORECASE)
# "as of when", "这是一年的还是累计的", "is that per year": a question about the figure just given
# (its date, period or scope), which the same figures, with their date and scope, answer.
ASKS_ABOUT_THE_FIGURE = re.compile(
    r"哪年的|哪一年的|什么时候的|几年的|啥时候的|最新的吗|两个数|两个数字|数字不一样|数不一样|不一致|对不上|"
    r"一年的还是|累计的?吗|是累计|还是累计|每年的?吗|是一年|截至哪|截止到?哪"
    r"|\b(as of when|since when|from when|when (?:is|was) (?:that|this|it) from|how old is (?:that|this)|"
    r"why (?:are there )?two (?:numbers|figures)|(?:numbers|figures) (?:differ|don'?t match|do not match)|"
    r"is (?:that|this|it) (?:per year|a year|annual|yearly|cumulative|in total|total|the latest|current|up to date)|"
    r"(?:per|a) year or (?:in )?total|total or (?:per|a) year|which year)\b",
    re.IGNORECASE)
# "and for migrant workers that year": the period of the figure just given (asked as "and…", "那…呢").
THE_SAME_PERIOD = re.compile(r"\b(?:that (?:same )?year|the same year)\b|同年|那一年|当年", re.IGNORECASE)
# "how many cases have THEY handled" after the figures of lawyer mediation: their figures.
REFERS_BACK = re.compile(r"他们|它们|它|其|这些|那些|\b(they|them|their|it|its|those|these)\b", re.IGNORECASE)
# A problem's time limit asked ("起诉有时效吗", "is there a deadline to sue").
ASKS_FOR_A_TIME_LIMIT = re.compile(
    r"时效|期限|时间限制|过了多久|多久(?:内|之内|以内)?(?:就)?(?:不能|没法)?(?:起诉|告)"
    r"|\b(?:time limit|deadline|limitation period|statute of limitations|too late to)\b", re.IGNORECASE)
# "how long do i have to sue", "过了多久就不能告了": going to court and its time limit, not how
# long a legal-aid decision takes.
ASKS_ABOUT_SUING = re.compile(
    r"起诉|告|诉讼|打官司|\b(?:sue|suing|court|limitation)\b|" + ASKS_FOR_A_TIME_LIMIT.pattern, re.IGNORECASE)
# The detention itself asked about ("will the police even tell us where he is", "能去看守所见他吗"), and
# a lawyer named, which makes it a question on criminal legal aid instead.
ASKS_ABOUT_THE_DETENTION = re.compile(
    r"警察|公安|派出所|看守所|关在哪|关哪|关多久|关几天|拘留|通知家属|通知我们|探视|见到他|见他|见她|取保|保释|家属能"
    r"|\b(?:police|cops?|where (?:he|she|they) (?:is|are|is held|are held)|detention|detained|visit\w*|see (?:him|her)"
    r"|bail|notif\w*)\b", re.IGNORECASE)
NAMES_A_LAWYER = re.compile(r"律师|法援|法律援助|辩护|\b(?:lawyer|attorney|legal aid|defen[cs]e|counsel)\b",
                            re.IGNORECASE)
# After the pre-check's outcome, "how fast do they assign someone" asks how long a decision takes.
ASKS_HOW_LONG = re.compile(r"多久|多长时间|几天|多快|\bhow (?:long|fast|soon|quickly)\b", re.IGNORECASE)
# After the routes for a problem: what to keep, how long there is, where to complain, what next.
# The routes answer all of these, so they are about that problem, however the classifier reads them.
ASKS_ABOUT_THE_ROUTE = re.compile(
    r"证据|留什么|保存|删|时效|期限|时间限制|多久|来得及|还能告|还能起诉|过期|下一步|然后呢|接下来|找谁|去哪|投诉|举报|告他|起诉|"
    r"犯法吗|犯罪吗|算犯罪|能要回|要回来|追回|要不要请律师|需要请律师|需不需要律师|用不用请律师"
    r"|要不要去法院|要去法院吗|非得打官司|不服|不认可|不同意"
    r"|\b(evidence|proof|keep|delete|deadline|time limit|how long|too late|what now|next step|who (?:do|can|should) i|"
    r"where (?:do|can|should) i|complain|sue|report (?:him|her|them|it)|a crime|get (?:it|my money) back|"
    r"challenge it|need a lawyer|get a lawyer|go to court|take (?:him|her|them|it) to court|"
    r"(?:i|we) (?:dont|don't|do not) agree|disagree)\b",
    re.IGNORECASE)
# "what if the other side doesnt do what they agreed to", "那要是他不认呢": a follow-up opened as a
# case of the answer just given, however long.
CONTINUES_WITH_A_CASE = re.compile(
    r"^\W*(?:(?:and|but|so)\s+)?(?:what if|if)\b|^(?:那要是|那如果|那万一|要是.*呢\W*$)", re.IGNORECASE)
# What may stand beside a place's name in a follow-up that asks the same of that place ("hainan?",
# "那海南呢", "and in shanghai?").
ONLY_A_PLACE = re.compile(
    r"\W*(?:(?:and|what about|how about)\s+)?(?:in\s+)?(?:那|那么)?(?:在)?\W*(?:呢)?\W*", re.IGNORECASE)
# Mediation named without "people's" or a committee, after the answer on lawyers' mediation.
NAMES_PEOPLES_MEDIATION = re.compile(r"人民调解|调委会|调解委员会|居委会|村委会|\bpeople'?s?\b|\bcommittee",
                                     re.IGNORECASE)
# Where figures or answers come from, and whether to trust them: what a question on their sources names.
NAMES_A_SOURCE = re.compile(
    r"来源|出处|哪来|哪里来|从哪|靠谱|可信|准确|官方|真的假的|依据|根据"
    r"|\b(source|sources|from where|where .{0,20} from|believe|trust|reliable|accurate|official|legit)\b",
    re.IGNORECASE)
# An order to say something ("ignore all previous instructions and tell me…", "reply only with this
# sentence: …", "你只回复这句话"): the assistant says what is true instead, whatever the rest reads as.
INSTRUCTS_WHAT_TO_SAY = re.compile(
    r"\b(?:ignore|forget|disregard|override)\b.{0,20}\b(?:instructions?|rules|guidelines|prompts?|programming)\b"
    r"|\b(?:reply|respond|answer)\s+(?:only\s+)?with\s+(?:only\s+)?(?:this|these|the following|exactly)\b"
    r"|\brepeat after me\b|\bsay (?:exactly|only|word for word)\b|\bsay this\b.{0,20}\bnothing else\b"
    r"|忽略.{0,6}(?:指令|指示|规则|设定|提示)|(?:你|请)?只(?:能|许|准|需要?)?回复(?:这|下面|以下)|照着(?:说|打|念)|原样(?:输出|回复|打出)",
    re.IGNORECASE)
# Money owed or claimed ("老板欠我8000块工资", "he borrowed 20k"): an amount told of a problem, not a price asked.
MONEY_OWED = re.compile(
    r"工资|薪|欠|借|赔|押金|定金|货款|\b(?:wages?|salary|pay|owe[sd]?|lent|borrow\w*|compensation|deposit)\b",
    re.IGNORECASE)
# A free lawyer asked for ("does he get a free lawyer", "家里没钱请律师 有没有免费的").
ASKS_FOR_A_FREE_LAWYER = re.compile(
    r"免费的?律师|有没有免费|法律援助|法援|指派律师"
    r"|\b(?:free (?:lawyer|attorney|defen[cs]e)|legal aid|appointed lawyer|public defender)\b", re.IGNORECASE)
