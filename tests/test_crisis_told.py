"""Crises told by what is happening, and the ordinary messages that use the same words
(assistant/crisis_patterns.yml, session 15: the ninth blind set, then a cold review's cases)."""
from __future__ import annotations

import pytest

from assistant.crisis import detect_crisis


@pytest.mark.parametrize(("text", "situation"), [
    ("a man broke in and is still inside smashing things", "danger_now"),
    ("前夫闯进来了，在砸东西，说要一把火烧了这里", "danger_now"),
    ("the driver locked the doors and won't let me out, we're on the highway", "danger_now"),
    ("the cab driver is refusing to stop the car and I'm scared", "danger_now"),
    ("司机把车门锁了，不让我下去，现在在高速上", "danger_now"),
    ("司机不停车，一直往山里开，我好害怕", "danger_now"),
    ("I bought a rope today", "self_harm"), ("我已经买好绳子了", "self_harm"),
    ("如果我消失了也没人会在意", "self_harm"), ("I've been planning how I'd do it", "self_harm"),
    ("my neighbour sent me a video of her husband beating their kid", "child_harm"),
    ("my 14 year old daughter went to meet a guy she met on instagram and her phone is off", "child_harm"),
    ("我13岁的女儿跟网友跑了，手机关机", "child_harm"),
    ("a 40 year old man keeps asking my 12 year old daughter for nudes on snapchat", "child_harm"),
])
def test_detector_recognises_crises_told_by_what_is_happening(text, situation):
    assert situation in detect_crisis(text)


@pytest.mark.parametrize("text", [
    # A fare dispute, a missed stop.
    "出租车司机不让我下车，非要我多付50块钱，可以投诉吗", "上周打车司机绕路越开越远，多收了我30块，怎么投诉",
    "坐公交时我要下车司机不停，坐过站了，能投诉吗", "the taxi driver wont let me out until i pay the extra 50 yuan",
    # A break-in that is over, a threat asked about in law, a novel.
    "someone broke in last month and is still threatening me online, can i sue",
    "my tenant broke in to the flat and keeps trashing my reputation on wechat",
    "in the novel the villain says he'll burn the place",
    # Everyday words of planning, absence and rope.
    "I've been thinking about how to do it myself without a lawyer, can I represent myself?",
    "我不在家那几天没人发现，小偷把东西都偷走了，能报警吗", "绳子买好了，明天搬家用",
    # A coach, a tutor, a teacher, a video, a scam by someone met online.
    "my son's coach asked to meet him alone to discuss the match tactics",
    "my 14 year old daughter's tutor wants to meet her alone to go over her exam",
    "my daughter's teacher keeps asking her for photos of her homework",
    "he sent me a video of him hitting a golf ball", "我女儿网上认识个男网友，被骗了两万块钱，人跑了",
])
def test_detector_stays_quiet_on_ordinary_messages_with_the_same_words(text):
    assert not set(detect_crisis(text)) - {"ruled_out"}
