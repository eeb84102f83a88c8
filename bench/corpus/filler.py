"""Paragraph templates without figures (FILLER)."""

from __future__ import annotations

from typing import Callable

from .vocabulary import _pick, _sectors


def f_talks(r, c):
    return _pick(r, [
        "Hai bên trao đổi ý kiến về các vấn đề hợp tác song phương và thống nhất nhiều biện pháp nhằm tăng cường "
        "quan hệ Đối tác chiến lược toàn diện Việt - Nga trong giai đoạn mới.",
        f"{c.vn[0]} {c.vn[1]} và {c.ru[0]} {c.ru[1]} nhất trí tăng cường hợp tác trong các lĩnh vực {_sectors(r, 4)}.",
        "Lãnh đạo hai nước thống nhất nhiều biện pháp thúc đẩy hợp tác song phương trên một loạt lĩnh vực, "
        "bày tỏ quyết tâm đưa quan hệ Đối tác chiến lược toàn diện đi vào chiều sâu.",
    ])


def f_energy(r, c):
    s = _pick(r, ["Năng lượng là lĩnh vực hợp tác truyền thống, chiến lược và hiệu quả của Việt Nam và Nga.",
                  "Dầu khí tiếp tục là trụ cột quan trọng trong hợp tác kinh tế giữa hai nước."])
    t = _pick(r, ["Hai nước đã thành lập các liên doanh như Rusvietpetro, Gazpromviet, Vietgazprom để mở rộng hợp tác "
                  "dầu khí ở Việt Nam, Nga và các nước thứ ba.",
                  "Hai bên khẳng định sẽ tạo mọi điều kiện thuận lợi cho các dự án thăm dò và khai thác dầu khí hiện nay "
                  "cũng như các dự án mới trong lĩnh vực chế biến và lọc hóa dầu.",
                  "Bên cạnh việc tiếp tục hợp tác trong khuôn khổ Liên doanh Vietsovpetro, các doanh nghiệp hai nước "
                  "đang nghiên cứu nhiều dự án mới trên thềm lục địa Việt Nam."])
    return s + " " + t


def f_defense(r, c):
    return _pick(r, [
        "Về quan hệ quốc phòng, an ninh, lãnh đạo hai nước nhất trí tăng cường phối hợp đưa hợp tác trong lĩnh vực này "
        "đi vào chiều sâu, hiệu quả, trước hết là đào tạo quân nhân, chuyên gia kỹ thuật.",
        "Hai bên khẳng định tiếp tục hợp tác chặt chẽ, hiệu quả trong lĩnh vực quốc phòng - an ninh, đặc biệt về "
        "kỹ thuật quân sự, phù hợp với luật pháp quốc tế.",
    ])


def f_politics(r, c):
    return _pick(r, [
        "Quan hệ Đối tác chiến lược toàn diện Việt Nam - LB Nga có độ tin cậy chính trị cao và không ngừng được củng cố. "
        "Trao đổi đoàn cấp cao diễn ra thường xuyên, tạo động lực mạnh mẽ cho quan hệ hai nước.",
        "Hai bên đánh giá cao cơ chế trao đổi đoàn các cấp, đặc biệt là cấp cao, góp phần không ngừng tăng cường "
        "quan hệ tin cậy giữa hai nước.",
        f"{c.ru[0]} {c.ru[1]} khẳng định Nga luôn coi Việt Nam là một trong những đối tác ưu tiên ở khu vực "
        "châu Á - Thái Bình Dương.",
    ])


def f_diaspora_thanks(r, c):
    return (f"{c.vn[0]} {c.vn[1]} cảm ơn các cấp chính quyền Nga đã tạo điều kiện thuận lợi cho cộng đồng người Việt "
            f"tại Nga được làm ăn, học tập và sinh sống {_pick(r, ['hợp pháp, hoà nhập xã hội', 'ổn định, hòa nhập xã hội', 'lâu dài'])} "
            f"Liên bang Nga.")


def f_multilateral(r, c):
    return _pick(r, [
        "Hai bên nhất trí tiếp tục phối hợp chặt chẽ tại các diễn đàn đa phương như Liên hợp quốc, APEC, ASEM, "
        "Diễn đàn Khu vực ASEAN và các cơ chế hợp tác ASEAN - Nga.",
        "Việt Nam và Nga có quan điểm gần gũi về nhiều vấn đề quốc tế và khu vực, thường xuyên ủng hộ lẫn nhau "
        "tại các tổ chức quốc tế.",
    ])


def f_east_sea(r, c):
    return ("Trao đổi về tình hình Biển Đông, lãnh đạo hai nước nhất trí cho rằng các tranh chấp cần được giải quyết "
            "bằng biện pháp hòa bình, không sử dụng vũ lực hay đe dọa sử dụng vũ lực, trên cơ sở tôn trọng luật pháp "
            "quốc tế, trong đó có Công ước của Liên hợp quốc về Luật Biển.")


def f_education(r, c):
    return _pick(r, [
        "Hợp tác trong lĩnh vực giáo dục - đào tạo và khoa học - công nghệ tiếp tục được quan tâm, nhiều trường đại học "
        "hai nước đã ký thỏa thuận trao đổi giảng viên và sinh viên.",
        "Đào tạo nguồn nhân lực chất lượng cao được coi là một điểm sáng trong quan hệ hai nước, góp phần vun đắp "
        "thế hệ kế tục tình hữu nghị Việt - Nga.",
    ])


def f_business(r, c):
    return _pick(r, [
        "Tuy nhiên, doanh nghiệp hai nước vẫn gặp khó khăn về thanh toán, vận tải và logistics, đòi hỏi các bộ, ngành "
        "sớm tháo gỡ.",
        "Các doanh nghiệp Việt - Nga và liên doanh sẽ cùng tham dự Diễn đàn Doanh nghiệp, với kỳ vọng mở rộng "
        "thị trường cho hàng nông lâm thủy sản của Việt Nam.",
        f"Dự kiến đại diện của tỉnh {c.city_ru} sẽ ký kết hợp tác với {c.city_vn}, với kỳ vọng cho phép người Việt "
        "thành lập các cơ sở sản xuất tại Nga.",
    ])


def f_culture(r, c):
    return _pick(r, [
        "Giao lưu văn hóa, du lịch giữa hai nước ngày càng sôi động; nhiều lễ hội, tuần phim được tổ chức luân phiên "
        "tại hai nước.",
        "Hai bên nhất trí mở rộng hợp tác trong các lĩnh vực nhiều tiềm năng như văn hóa, du lịch, lao động và hợp tác "
        "giữa các địa phương.",
    ])


def f_invitation(r, c):
    return (f"{c.vn[0]} {c.vn[1]} mời {c.ru[0]} {c.ru[1]} sớm thăm lại Việt Nam. "
            f"{_pick(r, ['Phía Nga đã nhận lời.', 'Ông ' + c.ru[1].split()[-1] + ' vui vẻ nhận lời.', 'Lời mời đã được đón nhận.'])}")


def f_quote(r, c):
    q = _pick(r, ["Việt Nam là người bạn tin cậy, là đối tác quan trọng của Nga ở Đông Nam Á",
                  "Chúng tôi coi trọng tình hữu nghị truyền thống và mong muốn đưa hợp tác lên tầm cao mới",
                  "Quan hệ hai nước đã vượt qua thử thách của thời gian và ngày càng bền chặt"])
    return f"“{q}”, {c.ru[0]} {c.ru[1].split()[-1] if r.random() < 0.5 else c.ru[1]} {_pick(r, ['nói', 'nhấn mạnh', 'khẳng định'])}."


def f_mechanisms(r, c):
    return ("Hai bên duy trì nhiều cơ chế phối hợp và đối thoại như Đối thoại chiến lược Ngoại giao - Quốc phòng - "
            "An ninh, Ủy ban liên Chính phủ về hợp tác kinh tế - thương mại và khoa học - kỹ thuật.")


def f_nuclear_peace(r, c):
    return ("Hai bên nhất trí nghiên cứu các dự án hợp tác mới về năng lượng, hạ tầng, xem xét khả năng tiếp tục hợp "
            "tác trong lĩnh vực sử dụng năng lượng nguyên tử vì mục đích hòa bình.")


def f_context(r, c):
    return _pick(r, [
        "Chuyến thăm diễn ra trong bối cảnh hết sức quan trọng đối với quan hệ hai nước.",
        "Chuyến thăm có ý nghĩa đặc biệt, góp phần củng cố lòng tin chính trị giữa hai nước.",
        "Sự kiện thu hút sự quan tâm lớn của dư luận và giới doanh nghiệp hai nước.",
    ]) + " " + _pick(r, [
        "Các nhà lãnh đạo cũng trao đổi về những vấn đề quốc tế và khu vực cùng quan tâm.",
        "Hai bên bày tỏ hài lòng trước những bước phát triển tích cực của quan hệ song phương.",
        "Lãnh đạo hai nước nhấn mạnh cần khai thác tốt hơn nữa tiềm năng của mỗi nước.",
    ])


FILLER: list[tuple[str, Callable]] = [(fn.__name__[2:], fn) for fn in (
    f_talks, f_energy, f_defense, f_politics, f_diaspora_thanks, f_multilateral, f_east_sea, f_education,
    f_business, f_culture, f_invitation, f_quote, f_mechanisms, f_nuclear_peace, f_context)]
