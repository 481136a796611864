import pytest

from gongkai.monitor import services
from gongkai.workdays.services import load_from_package


@pytest.fixture
def calendar(db):
    load_from_package(years=range(2016, 2027))


@pytest.fixture
def city_site(city):
    return services.register_site(org=city, url="http://www.my.gov.cn/", name="中国绵阳")


@pytest.fixture
def dept_site(dept):
    return services.register_site(org=dept, url="http://zrzyj.my.gov.cn/")


@pytest.fixture
def other_site(other_dept):
    return services.register_site(org=other_dept, url="http://jytyj.my.gov.cn/")
