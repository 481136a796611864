"""The default list of what applications are about; offices edit it in the admin."""

from django.db import migrations

TOPICS = [
    ("land_expropriation", "土地征收", "征地 征收土地 土地征收 征地补偿 安置补偿 被征地 土地补偿 用地批复 农用地转用"),
    ("housing_demolition", "房屋征收/拆迁", "拆迁 房屋征收 征收决定 拆除 棚户区 棚改 安置房 补偿协议 违法建筑"),
    ("law_enforcement", "行政执法", "行政处罚 处罚决定 执法 查处 强制 罚款 执法记录 立案"),
    ("employment", "劳动就业", "劳动 就业 工资 劳动合同 招聘 工伤 劳动仲裁"),
    ("social_security", "社会保障", "社保 养老保险 医疗保险 低保 最低生活保障 救助 社会保险 退休"),
    ("planning_construction", "规划建设", "规划 建设工程 规划许可 施工许可 建设用地 竣工验收 容积率"),
    ("public_funds", "财政资金", "财政 预算 决算 资金 专项资金 补贴 采购 三公经费"),
    ("environment", "环境保护", "环评 环境影响 排污 污染 环境保护"),
    ("education_health", "教育卫生", "学校 招生 医院 卫生 教育"),
    ("other", "其他", ""),
]


def add(apps, schema_editor):
    Topic = apps.get_model("applications", "Topic")
    for sort, (code, name, keywords) in enumerate(TOPICS, start=1):
        Topic.objects.get_or_create(code=code, defaults={"name": name, "keywords": keywords, "sort": sort})


class Migration(migrations.Migration):
    dependencies = [("applications", "0001_initial")]
    operations = [migrations.RunPython(add, migrations.RunPython.noop)]
