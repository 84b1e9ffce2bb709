"""Build resources/statutes/instruments/*.json from statutes.md and laws/ (developer tool, not run time).

    .venv/bin/python tools/build_catalogue.py ../shared/reference

Every article text is taken mechanically from `statutes.md` (the compiled, status-marked reference) or, for
the few articles the rules need that statutes.md does not quote, from the full law text in `laws/`. Where an
article is in both, the two must agree character for character or the build stops. The sources used are
copied to resources/statutes/sources/ so the tests can re-check the catalogue without the shared folder.
Metadata (issuing body, document number, in-force dates and how sure each is) is written here by hand from
statutes.md §0.1 and the section headers; "M" marks a date or number that is from memory.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import sys
from pathlib import Path

from xinfang_desk.statutes.textparse import articles_in_markdown, quoted_articles, structure

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "resources" / "statutes"

# (instrument, version): issuing body, document, effective_from, effective_to, date_status, slug,
# statutes.md line ranges, laws file, extra articles from laws/, status of quoted blocks, renumbered flag
V, V2 = "V", "V2"

INSTRUMENTS: list[dict] = [
    dict(name="信访工作条例", slug="xinfang-gongzuo-tiaoli", full_title="信访工作条例", renumbered=True, versions=[
        dict(version="2022", issued_by="中共中央、国务院", document="（无国务院令号）2022年2月25日发布", issued_on="2022-02-25",
             effective_from="2022-05-01", effective_to=None, date_status=V, ranges=[(54, 270)],
             law="信访工作条例(2022-02-25).md", evidence="statutes.md §0.1: art. 50")]),
    dict(name="信访条例", slug="xinfang-tiaoli", full_title="信访条例", renumbered=True, versions=[
        dict(version="2005", issued_by="国务院", document="国务院令第431号", issued_on="2005-01-10",
             effective_from="2005-05-01", effective_to="2022-04-30", date_status=V, ranges=[(277, 416)],
             law="信访条例(2005-01-10).md", extra=[29],
             evidence="statutes.md §0.1: start art. 51; end: superseded by 信访工作条例 on 2022-05-01 (no formal repeal found)")]),
    dict(name="行政复议法", slug="xingzheng-fuyi-fa", full_title="中华人民共和国行政复议法", renumbered=True, versions=[
        dict(version="2017", issued_by="全国人民代表大会常务委员会", document="2017-09-01 修正文本", issued_on="2017-09-01",
             effective_from="1999-10-01", effective_to="2023-12-31", date_status=V, ranges=[(573, 594)],
             law="行政复议法(2017-09-01).md", extra=[12],
             evidence="statutes.md §0.1 (the amended text of the 1999 law; arts. 9, 16 unchanged since 1999)"),
        dict(version="2023", issued_by="全国人民代表大会常务委员会", document="2023-09-01 修订（主席令第九号 — M）", issued_on="2023-09-01",
             effective_from="2024-01-01", effective_to=None, date_status=V, ranges=[(423, 568)],
             law="行政复议法(2023-09-01).md", evidence="art. 90")]),
    dict(name="行政复议法实施条例", slug="xingzheng-fuyi-fa-shishi-tiaoli", full_title="中华人民共和国行政复议法实施条例", renumbered=True, versions=[
        dict(version="2007", issued_by="国务院", document="国务院令第499号", issued_on="2007-05-29",
             effective_from="2007-08-01", effective_to="2026-06-30", date_status=V, ranges=[(645, 672)],
             law="行政复议法实施条例(2007-05-29).md", evidence="2007 art. 66; 2026 art. 77"),
        dict(version="2026", issued_by="国务院", document="国务院令第836号", issued_on="2026-04-29",
             effective_from="2026-07-01", effective_to=None, date_status=V, ranges=[(599, 644)],
             law="行政复议法实施条例(2026-04-29).md", evidence="art. 77")]),
    dict(name="行政诉讼法", slug="xingzheng-susong-fa", full_title="中华人民共和国行政诉讼法", versions=[
        dict(version="2017", issued_by="全国人民代表大会常务委员会", document="2017-06-27 修正文本", issued_on="2017-06-27",
             effective_from="2017-07-01", effective_to=None, date_status="V2", ranges=[(677, 740)],
             law="行政诉讼法(2017-06-27).md", extra=[15], evidence="[XS] db hint only (statutes.md §0.1)")]),
    dict(name="行政诉讼法解释", slug="xingzheng-susong-fa-jieshi",
         full_title="最高人民法院关于适用《中华人民共和国行政诉讼法》的解释", versions=[
        dict(version="2018", issued_by="最高人民法院", document="法释〔2018〕1号（文号 M）", issued_on="2018-02-06",
             effective_from="2018-02-08", effective_to=None, date_status=V, ranges=[(745, 780)],
             law="最高人民法院关于适用《行政诉讼法》的解释(2018-02-06).md", evidence="statutes.md §4.1")]),
    dict(name="民法典", slug="minfadian", full_title="中华人民共和国民法典", versions=[
        dict(version="2020", issued_by="全国人民代表大会", document="2020-05-28 通过", issued_on="2020-05-28",
             effective_from="2021-01-01", effective_to=None, date_status=V, ranges=[(787, 808)],
             law="民法典-总则编(2020-05-28).md", extra=[196, 201, 202, 203, 204], evidence="art. 1260")]),
    dict(name="民法总则", slug="minfa-zongze", full_title="中华人民共和国民法总则", versions=[
        dict(version="2017", issued_by="全国人民代表大会", document="2017-03-15 通过", issued_on="2017-03-15",
             effective_from="2017-10-01", effective_to="2020-12-31", date_status=V, ranges=[(809, 816)],
             law="民法总则(2017-03-15).md", evidence="art. 206; repealed by 民法典 art. 1260")]),
    dict(name="民法通则", slug="minfa-tongze", full_title="中华人民共和国民法通则", versions=[
        dict(version="2009", issued_by="全国人民代表大会", document="2009-08-27 修正文本", issued_on="2009-08-27",
             effective_from="1987-01-01", effective_to="2020-12-31", date_status=V, ranges=[(817, 822)],
             law="民法通则(2009-08-27).md", evidence="art. 156; repealed by 民法典 art. 1260")]),
    dict(name="民事诉讼法", slug="minshi-susong-fa", full_title="中华人民共和国民事诉讼法", renumbered=True, versions=[
        dict(version="2021", issued_by="全国人民代表大会常务委员会", document="2021-12-24 修正（主席令第一〇六号 — M）",
             issued_on="2021-12-24", effective_from="2022-01-01", effective_to="2023-12-31", date_status="M", ranges=[],
             law="民事诉讼法(2021-12-24).md", extra=[3, 171, 206, 212, 216, 246],
             evidence="amendment in force 2022-01-01 (M, high confidence); end: the 2023 text from 2024-01-01 (statutes.md §0.1)"),
        dict(version="2023", issued_by="全国人民代表大会常务委员会", document="主席令第十一号", issued_on="2023-09-01",
             effective_from="2024-01-01", effective_to=None, date_status=V2, ranges=[(827, 872)],
             law="民事诉讼法(2023-09-01).md", evidence="zenchang.cn page quoting 主席令第十一号 (V2)")]),
    dict(name="劳动争议调解仲裁法", slug="laodong-zhengyi-tiaojie-zhongcai-fa", full_title="中华人民共和国劳动争议调解仲裁法", versions=[
        dict(version="2007", issued_by="全国人民代表大会常务委员会", document="主席令第八十号 — M", issued_on="2007-12-29",
             effective_from="2008-05-01", effective_to=None, date_status=V, ranges=[(879, 974)],
             law="劳动争议调解仲裁法(2007-12-29).md", evidence="art. 54")]),
    dict(name="劳动法", slug="laodong-fa", full_title="中华人民共和国劳动法", versions=[
        dict(version="2018", issued_by="全国人民代表大会常务委员会", document="2018-12-29 修正文本", issued_on="2018-12-29",
             effective_from="1995-01-01", effective_to=None, date_status="M", ranges=[(977, 984)],
             law="劳动法(2018-12-29).md", evidence="original law in force 1995-01-01 (M); arts. 77, 79 unchanged by the amendments (M)")]),
    dict(name="劳动保障监察条例", slug="laodong-baozhang-jiancha-tiaoli", full_title="劳动保障监察条例", versions=[
        dict(version="2004", issued_by="国务院", document="国务院令第423号", issued_on="2004-11-01",
             effective_from="2004-12-01", effective_to=None, date_status=V, ranges=[(985, 998)],
             law="劳动保障监察条例(2004-11-01).md", evidence="art. 36")]),
    dict(name="保障农民工工资支付条例", slug="baozhang-nongmingong-gongzi-zhifu-tiaoli", full_title="保障农民工工资支付条例", versions=[
        dict(version="2019", issued_by="国务院", document="国务院令第724号（M）", issued_on="2019-12-30",
             effective_from="2020-05-01", effective_to=None, date_status=V, ranges=[(999, 1008)],
             law="保障农民工工资支付条例(2019-12-30).md", evidence="art. 64")]),
    dict(name="工伤保险条例", slug="gongshang-baoxian-tiaoli", full_title="工伤保险条例", versions=[
        dict(version="2010", issued_by="国务院", document="国务院令第586号（M）修订", issued_on="2010-12-20",
             effective_from="2011-01-01", effective_to=None, date_status="M", ranges=[(1009, 1030)],
             law="工伤保险条例(2010-12-20).md", evidence="revision in force 2011-01-01 (M, high confidence)")]),
    dict(name="社会保险法", slug="shehui-baoxian-fa", full_title="中华人民共和国社会保险法", versions=[
        dict(version="2018", issued_by="全国人民代表大会常务委员会", document="2018-12-29 修正文本", issued_on="2018-12-29",
             effective_from="2011-07-01", effective_to=None, date_status="M", ranges=[(1031, 1038)],
             law="社会保险法(2018-12-29).md", evidence="law in force 2011-07-01 (M); art. 83 unchanged by the 2018 amendment (M)")]),
    dict(name="事业单位人事管理条例", slug="shiye-danwei-renshi-guanli-tiaoli", full_title="事业单位人事管理条例", versions=[
        dict(version="2014", issued_by="国务院", document="国务院令第652号", issued_on="2014-04-25",
             effective_from="2014-07-01", effective_to=None, date_status=V, ranges=[(1039, 1044)],
             law="事业单位人事管理条例(2014-04-25).md", evidence="statutes.md §6.2")]),
    dict(name="公务员法", slug="gongwuyuan-fa", full_title="中华人民共和国公务员法", versions=[
        dict(version="2018", issued_by="全国人民代表大会常务委员会", document="2018-12-29 修订", issued_on="2018-12-29",
             effective_from="2019-06-01", effective_to=None, date_status="M", ranges=[(1045, 1072)],
             law="公务员法(2018-12-29).md", evidence="revision in force 2019-06-01 (M, high confidence)")]),
    dict(name="农村土地承包经营纠纷调解仲裁法", slug="nongcun-tudi-chengbao-jiufen-tiaojie-zhongcai-fa",
         full_title="中华人民共和国农村土地承包经营纠纷调解仲裁法", versions=[
        dict(version="2009", issued_by="全国人民代表大会常务委员会", document="2009-06-27 通过", issued_on="2009-06-27",
             effective_from="2010-01-01", effective_to=None, date_status=V, ranges=[(1079, 1124)],
             law="农村土地承包经营纠纷调解仲裁法(2009-06-27).md", evidence="art. 53")]),
    dict(name="农村土地承包法", slug="nongcun-tudi-chengbao-fa", full_title="中华人民共和国农村土地承包法", versions=[
        dict(version="2018", issued_by="全国人民代表大会常务委员会", document="2018-12-29 修正", issued_on="2018-12-29",
             effective_from="2019-01-01", effective_to=None, date_status="M", ranges=[(1125, 1130)],
             law="农村土地承包法(2018-12-29).md", evidence="amendment in force 2019-01-01 (M)")]),
    dict(name="农村集体经济组织法", slug="nongcun-jiti-jingji-zuzhi-fa", full_title="中华人民共和国农村集体经济组织法", versions=[
        dict(version="2024", issued_by="全国人民代表大会常务委员会", document="2024-06-28 通过", issued_on="2024-06-28",
             effective_from="2025-05-01", effective_to=None, date_status=V, ranges=[(1131, 1138)],
             law="农村集体经济组织法(2024-06-28).md", evidence="art. 67")]),
    dict(name="土地管理法", slug="tudi-guanli-fa", full_title="中华人民共和国土地管理法", versions=[
        dict(version="2019", issued_by="全国人民代表大会常务委员会", document="2019-08-26 修正", issued_on="2019-08-26",
             effective_from="2020-01-01", effective_to=None, date_status="M", ranges=[(1139, 1148)],
             law="土地管理法(2019-08-26).md", extra=[47, 48],
             evidence="amendment in force 2020-01-01 (M, high confidence)")]),
    dict(name="国有土地上房屋征收与补偿条例", slug="guoyou-tudi-fangwu-zhengshou-buchang-tiaoli", full_title="国有土地上房屋征收与补偿条例", versions=[
        dict(version="2011", issued_by="国务院", document="国务院令第590号", issued_on="2011-01-21",
             effective_from="2011-01-21", effective_to=None, date_status="M", ranges=[(1149, 1158)],
             law="国有土地上房屋征收与补偿条例(2011-01-21).md", evidence="in force on publication (M)")]),
    dict(name="村民委员会组织法", slug="cunmin-weiyuanhui-zuzhi-fa", full_title="中华人民共和国村民委员会组织法", renumbered=True, versions=[
        dict(version="2018", issued_by="全国人民代表大会常务委员会", document="2018-12-29 修正", issued_on="2018-12-29",
             effective_from="2018-12-29", effective_to="2025-10-27", date_status="M", ranges=[],
             law="村民委员会组织法(2018-12-29).md", extra=[31, 36],
             evidence="amendment in force on publication (M); end: the 2025 amendment (its date not verified, statutes.md §0.1)"),
        dict(version="2025", issued_by="全国人民代表大会常务委员会", document="2025-10-28 修正", issued_on="2025-10-28",
             effective_from="2025-10-28", effective_to=None, date_status="M", ranges=[(1159, 1170)],
             law="村民委员会组织法(2025-10-28).md", evidence="effective date of the amendment not verified (statutes.md §0.1)")]),
    dict(name="仲裁法", slug="zhongcai-fa", full_title="中华人民共和国仲裁法", renumbered=True, versions=[
        dict(version="2017", issued_by="全国人民代表大会常务委员会", document="2017-09-01 修正文本", issued_on="2017-09-01",
             effective_from="1995-09-01", effective_to="2026-02-28", date_status=V, ranges=[(1203, 1226)],
             law="仲裁法(2017-09-01).md", evidence="art. 80; 2025 text art. 96"),
        dict(version="2025", issued_by="全国人民代表大会常务委员会", document="2025-09-12 修订", issued_on="2025-09-12",
             effective_from="2026-03-01", effective_to=None, date_status=V, ranges=[(1177, 1202)],
             law="仲裁法(2025-09-12).md", evidence="art. 96")]),
    dict(name="人民调解法", slug="renmin-tiaojie-fa", full_title="中华人民共和国人民调解法", versions=[
        dict(version="2010", issued_by="全国人民代表大会常务委员会", document="主席令第三十四号（M）", issued_on="2010-08-28",
             effective_from="2011-01-01", effective_to=None, date_status=V, ranges=[(1231, 1262)],
             law="人民调解法(2010-08-28).md", evidence="art. 35")]),
    dict(name="医疗纠纷预防和处理条例", slug="yiliao-jiufen-yufang-chuli-tiaoli", full_title="医疗纠纷预防和处理条例", versions=[
        dict(version="2018", issued_by="国务院", document="国务院令第701号", issued_on="2018-07-31",
             effective_from="2018-10-01", effective_to=None, date_status=V, ranges=[(1265, 1278)],
             law="医疗纠纷预防和处理条例(2018-07-31).md", evidence="statutes.md §8.3")]),
    dict(name="消费者权益保护法", slug="xiaofeizhe-quanyi-baohu-fa", full_title="中华人民共和国消费者权益保护法", versions=[
        dict(version="2013", issued_by="全国人民代表大会常务委员会", document="2013-10-25 修正", issued_on="2013-10-25",
             effective_from="2014-03-15", effective_to=None, date_status="M", ranges=[(1279, 1292)],
             law="消费者权益保护法(2013-10-25).md", evidence="amendment in force 2014-03-15 (M, high confidence)")]),
    dict(name="道路交通安全法", slug="daolu-jiaotong-anquan-fa", full_title="中华人民共和国道路交通安全法", versions=[
        dict(version="2021", issued_by="全国人民代表大会常务委员会", document="2021-04-29 修正", issued_on="2021-04-29",
             effective_from="2004-05-01", effective_to=None, date_status="M", ranges=[(1293, 1298)],
             law="道路交通安全法(2021-04-29).md", evidence="law in force 2004-05-01 (M); art. 74 unchanged since (M)")]),
    dict(name="社会救助暂行办法", slug="shehui-jiuzhu-zanxing-banfa", full_title="社会救助暂行办法", versions=[
        dict(version="2019", issued_by="国务院", document="国务院令第649号（2019年修订）", issued_on="2019-03-02",
             effective_from="2014-05-01", effective_to=None, date_status="M", ranges=[(1299, 1312)],
             law="社会救助暂行办法(2019-03-02).md", evidence="original in force 2014-05-01 (M); arts. 11, 65 unchanged (M)")]),
    dict(name="法律援助法", slug="falv-yuanzhu-fa", full_title="中华人民共和国法律援助法", versions=[
        dict(version="2021", issued_by="全国人民代表大会常务委员会", document="2021-08-20 通过", issued_on="2021-08-20",
             effective_from="2022-01-01", effective_to=None, date_status=V, ranges=[(1317, 1418)],
             law="法律援助法(2021-08-20).md", evidence="art. 71")]),
    dict(name="治安管理处罚法", slug="zhian-guanli-chufa-fa", full_title="中华人民共和国治安管理处罚法", renumbered=True, versions=[
        dict(version="2012", issued_by="全国人民代表大会常务委员会", document="2012-10-26 修正", issued_on="2012-10-26",
             effective_from="2013-01-01", effective_to="2025-12-31", date_status="M", ranges=[(1539, 1638)],
             law="治安管理处罚法(2012-10-26).md", extra=[22],
             evidence="start 2013-01-01 (M, high confidence); end: 2025 text art. 144"),
        dict(version="2025", issued_by="全国人民代表大会常务委员会", document="2025-06-27 修订", issued_on="2025-06-27",
             effective_from="2026-01-01", effective_to=None, date_status=V, ranges=[(1425, 1534)],
             law="治安管理处罚法(2025-06-27).md", evidence="art. 144")]),
    dict(name="国家赔偿法", slug="guojia-peichang-fa", full_title="中华人民共和国国家赔偿法", versions=[
        dict(version="2012", issued_by="全国人民代表大会常务委员会", document="2012-10-26 修正", issued_on="2012-10-26",
             effective_from="2013-01-01", effective_to=None, date_status="M", ranges=[(1693, 1778)],
             law="国家赔偿法(2012-10-26).md", evidence="[XS] db; M, high confidence")]),
    dict(name="政府信息公开条例", slug="zhengfu-xinxi-gongkai-tiaoli", full_title="中华人民共和国政府信息公开条例", versions=[
        dict(version="2019", issued_by="国务院", document="国务院令第711号", issued_on="2019-04-03",
             effective_from="2019-05-15", effective_to=None, date_status=V, ranges=[(1783, 1804)],
             law="政府信息公开条例(2019-04-03).md", evidence="art. 56")]),
    dict(name="监察法", slug="jiancha-fa", full_title="中华人民共和国监察法", renumbered=True, versions=[
        dict(version="2018", issued_by="全国人民代表大会", document="2018-03-20 通过", issued_on="2018-03-20",
             effective_from="2018-03-20", effective_to="2025-05-31", date_status=V, ranges=[(1865, 1870)],
             law="监察法(2018-03-20).md", evidence="statutes.md §0.1"),
        dict(version="2024", issued_by="全国人民代表大会常务委员会", document="2024-12-25 修正", issued_on="2024-12-25",
             effective_from="2025-06-01", effective_to=None, date_status=V2, ranges=[(1811, 1864)],
             law="监察法(2024-12-25).md", evidence="fzpx.cqu.edu.cn, wxredian.com (V2)")]),
    dict(name="公职人员政务处分法", slug="gongzhi-renyuan-zhengwu-chufen-fa", full_title="中华人民共和国公职人员政务处分法", versions=[
        dict(version="2020", issued_by="全国人民代表大会常务委员会", document="2020-06-20 通过", issued_on="2020-06-20",
             effective_from="2020-07-01", effective_to=None, date_status=V, ranges=[(1871, 1878)],
             law="公职人员政务处分法(2020-06-20).md", evidence="art. 68")]),
    dict(name="纪检监察机关处理检举控告工作规则", slug="jijian-jiancha-jianju-konggao-guize",
         full_title="纪检监察机关处理检举控告工作规则", versions=[
        dict(version="2020", issued_by="中共中央办公厅", document="2020年1月21日发布", issued_on="2020-01-21",
             effective_from="2020-01-21", effective_to=None, date_status=V2, ranges=[(1879, 1893)], status=V2,
             law=None, evidence="gongwensou.com (V2)")]),
    dict(name="刑事诉讼法", slug="xingshi-susong-fa", full_title="中华人民共和国刑事诉讼法", versions=[
        dict(version="2018", issued_by="全国人民代表大会常务委员会", document="2018-10-26 修正", issued_on="2018-10-26",
             effective_from="2018-10-26", effective_to=None, date_status="V2", ranges=[(1898, 1923)],
             law="刑事诉讼法(2018-10-26).md", evidence="[XS] db hint")]),
]

# Articles known only FROM MEMORY (statutes.md): catalogued without text so that rules can name them for
# staff, never print them.
MEMORY_ONLY: dict[tuple[str, str], list[dict]] = {}
MEMORY_INSTRUMENTS = [
    dict(name="涉法涉诉信访意见", slug="shefa-shesu-xinfang-yijian", full_title="中共中央办公厅、国务院办公厅《关于依法处理涉法涉诉信访问题的意见》",
         versions=[dict(version="2014", issued_by="中共中央办公厅、国务院办公厅", document="（文号未核实 — M）", issued_on="2014-03-19",
                        effective_from="2014-03-19", effective_to=None, date_status="M", evidence="statutes.md §14.1: FROM MEMORY", status="M",
                        note="依法终结 — once legal procedures are exhausted, 各级党政机关 no longer accept the matter (statutes.md §14.1, M)")]),
    dict(name="党员权利保障条例", slug="dangyuan-quanli-baozhang-tiaoli", full_title="中国共产党党员权利保障条例",
         versions=[dict(version="2020", issued_by="中共中央", document="（未核实 — M）", issued_on="2020-12-25",
                        effective_from="2020-12-25", effective_to=None, date_status="M", evidence="statutes.md §14.6: FROM MEMORY", status="M",
                        note="党员申诉 procedure behind 信访工作条例 31(3) (statutes.md §14.6, M)")]),
]


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def main(reference: Path) -> int:
    md_path = reference / "statutes.md"
    md = md_path.read_text(encoding="utf-8")
    sources = OUT / "sources"
    (sources / "laws").mkdir(parents=True, exist_ok=True)
    shutil.copyfile(md_path, sources / "statutes.md")
    problems: list[str] = []
    out_dir = OUT / "instruments"
    out_dir.mkdir(parents=True, exist_ok=True)
    for old in out_dir.glob("*.json"):
        old.unlink()
    for inst in INSTRUMENTS + MEMORY_INSTRUMENTS:
        versions_out = []
        for ver in inst["versions"]:
            articles: dict[int, dict] = {}
            law_articles: dict[int, str] = {}
            if ver.get("law"):
                law_path = reference / "laws" / ver["law"]
                law_articles = articles_in_markdown(law_path.read_text(encoding="utf-8"))
            quoted: dict[int, str] = {}
            for start, end in ver.get("ranges", []):
                quoted.update(quoted_articles(md, start, end))
            for number, text in sorted(quoted.items()):
                if law_articles and number in law_articles and law_articles[number] != text:
                    problems.append(f"{inst['name']} {ver['version']} art. {number}: statutes.md differs from laws/")
                    continue
                heading, paragraphs = structure(text.split("\n"))
                articles[number] = dict(number=number, heading=heading, paragraphs=paragraphs,
                                        status=ver.get("status", V), source="statutes.md")
            used_laws = False
            for number in ver.get("extra", []):
                text = law_articles[number]
                heading, paragraphs = structure(text.split("\n"))
                articles[number] = dict(number=number, heading=heading, paragraphs=paragraphs, status=V,
                                        source=f"laws/{ver['law']}")
                used_laws = True
            if used_laws:
                shutil.copyfile(reference / "laws" / ver["law"], sources / "laws" / ver["law"])
            for mem in MEMORY_ONLY.get((inst["name"], ver["version"]), []):
                articles[mem["number"]] = dict(number=mem["number"], heading=None, paragraphs=None, status="M",
                                               printable=False, note=mem["note"], source="memory")
            versions_out.append(dict(
                version=ver["version"], issued_by=ver["issued_by"], document=ver["document"], issued_on=ver["issued_on"],
                effective_from=ver["effective_from"], effective_to=ver["effective_to"], date_status=ver["date_status"],
                evidence=ver["evidence"], law_file=ver.get("law"), status=ver.get("status", "V"), note=ver.get("note"),
                articles=[articles[n] for n in sorted(articles)]))
        doc = dict(instrument=inst["name"], full_title=inst["full_title"], renumbered=inst.get("renumbered", False),
                   versions=versions_out)
        (out_dir / f"{inst['slug']}.json").write_text(json.dumps(doc, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    manifest = {p.relative_to(sources).as_posix(): sha256(p) for p in sorted(sources.rglob("*.md"))}
    (sources / "SHA256SUMS.json").write_text(json.dumps(manifest, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    for p in problems:
        print("PROBLEM:", p, file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    raise SystemExit(main(Path(sys.argv[1] if len(sys.argv) > 1 else "../shared/reference")))
