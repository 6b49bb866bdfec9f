"""Plausible names by country of origin, each as (transliteration, own script) pairs.

Invented combinations of common given names and family names; no real person is meant.
Somali and Turkish are written in Latin script, so both forms are the same there.
"""

from __future__ import annotations

Pair = tuple[str, str]

# country: (female given names, male given names, family names)
NAMES: dict[str, tuple[tuple[Pair, ...], tuple[Pair, ...], tuple[Pair, ...]]] = {
    "AF": (
        (("Fatima", "فاطمه"), ("Mariam", "مریم"), ("Zahra", "زهرا"), ("Shabnam", "شبنم"),
         ("Parwana", "پروانه"), ("Nargis", "نرگس"), ("Soraya", "ثریا"), ("Laila", "لیلا"),
         ("Freshta", "فرشته"), ("Masooda", "مسعوده")),
        (("Ahmad", "احمد"), ("Mohammad", "محمد"), ("Ali", "علی"), ("Hamid", "حمید"),
         ("Farid", "فرید"), ("Mustafa", "مصطفی"), ("Rahim", "رحیم"), ("Naveed", "نوید"),
         ("Sohrab", "سهراب"), ("Jawad", "جواد")),
        (("Rahimi", "رحیمی"), ("Ahmadi", "احمدی"), ("Hakimi", "حکیمی"), ("Noori", "نوری"),
         ("Sultani", "سلطانی"), ("Karimi", "کریمی"), ("Popal", "پوپل"),
         ("Stanikzai", "ستانکزی"), ("Haidari", "حیدری"), ("Mohammadi", "محمدی")),
    ),
    "SY": (
        (("Fatima", "فاطمة"), ("Rania", "رانيا"), ("Lina", "لينا"), ("Nour", "نور"),
         ("Amal", "أمل"), ("Hiba", "هبة"), ("Rasha", "رشا"), ("Salma", "سلمى"),
         ("Yasmin", "ياسمين"), ("Dima", "ديما")),
        (("Mohammed", "محمد"), ("Ahmad", "أحمد"), ("Khaled", "خالد"), ("Omar", "عمر"),
         ("Yousef", "يوسف"), ("Mahmoud", "محمود"), ("Hassan", "حسن"), ("Ibrahim", "إبراهيم"),
         ("Samer", "سامر"), ("Rami", "رامي")),
        (("Al-Ahmad", "الأحمد"), ("Haddad", "حداد"), ("Al-Hussein", "الحسين"),
         ("Khalil", "خليل"), ("Darwish", "درويش"), ("Al-Ali", "العلي"), ("Hamdan", "حمدان"),
         ("Mansour", "منصور"), ("Sabbagh", "الصباغ"), ("Othman", "عثمان")),
    ),
    "IQ": (
        (("Zainab", "زينب"), ("Noor", "نور"), ("Sara", "سارة"), ("Ruqaya", "رقية"),
         ("Shirin", "شيرين"), ("Huda", "هدى"), ("Maryam", "مريم"), ("Layla", "ليلى")),
        (("Ali", "علي"), ("Hussein", "حسين"), ("Mustafa", "مصطفى"), ("Haidar", "حيدر"),
         ("Abbas", "عباس"), ("Saif", "سيف"), ("Ammar", "عمار"), ("Karwan", "كاروان")),
        (("Al-Jubouri", "الجبوري"), ("Al-Obaidi", "العبيدي"), ("Kareem", "كريم"),
         ("Barzani", "بارزاني"), ("Hassan", "حسن"), ("Al-Tamimi", "التميمي"),
         ("Qasim", "قاسم"), ("Mahmoud", "محمود")),
    ),
    "IR": (
        (("Zahra", "زهرا"), ("Maryam", "مریم"), ("Narges", "نرگس"), ("Shirin", "شیرین"),
         ("Leila", "لیلا"), ("Parisa", "پریسا"), ("Niloufar", "نیلوفر"), ("Mahsa", "مهسا")),
        (("Reza", "رضا"), ("Mehdi", "مهدی"), ("Amir", "امیر"), ("Hossein", "حسین"),
         ("Saeed", "سعید"), ("Babak", "بابک"), ("Arash", "آرش"), ("Dariush", "داریوش")),
        (("Hosseini", "حسینی"), ("Moradi", "مرادی"), ("Rezaei", "رضایی"), ("Jafari", "جعفری"),
         ("Karimi", "کریمی"), ("Rostami", "رستمی"), ("Sadeghi", "صادقی"),
         ("Ebrahimi", "ابراهیمی")),
    ),
    "TR": (
        (("Ayşe", "Ayşe"), ("Fatma", "Fatma"), ("Elif", "Elif"), ("Zeynep", "Zeynep"),
         ("Emine", "Emine"), ("Hatice", "Hatice"), ("Gülsüm", "Gülsüm"), ("Büşra", "Büşra"),
         ("Rojda", "Rojda"), ("Berfin", "Berfin")),
        (("Mehmet", "Mehmet"), ("Mustafa", "Mustafa"), ("Ahmet", "Ahmet"), ("Emre", "Emre"),
         ("Hüseyin", "Hüseyin"), ("İbrahim", "İbrahim"), ("Murat", "Murat"),
         ("Serkan", "Serkan"), ("Baran", "Baran"), ("Rojhat", "Rojhat")),
        (("Yılmaz", "Yılmaz"), ("Kaya", "Kaya"), ("Demir", "Demir"), ("Şahin", "Şahin"),
         ("Çelik", "Çelik"), ("Yıldız", "Yıldız"), ("Aydın", "Aydın"), ("Öztürk", "Öztürk"),
         ("Arslan", "Arslan"), ("Doğan", "Doğan"), ("Ekinci", "Ekinci")),
    ),
    "ER": (
        (("Selam", "ሰላም"), ("Helen", "ሄለን"), ("Senait", "ሰናይት"), ("Yordanos", "ዮርዳኖስ"),
         ("Luwam", "ሉዋም"), ("Freweini", "ፍረወይኒ"), ("Saba", "ሳባ"), ("Winta", "ዊንታ")),
        (("Tesfay", "ተስፋይ"), ("Yonas", "ዮናስ"), ("Dawit", "ዳዊት"), ("Filmon", "ፊልሞን"),
         ("Mehari", "መሓሪ"), ("Samuel", "ሳሙኤል"), ("Biniam", "ቢንያም"), ("Habtom", "ሃብቶም")),
        (("Tesfay", "ተስፋይ"), ("Gebremedhin", "ገብረመድህን"), ("Haile", "ሃይለ"),
         ("Berhane", "ብርሃነ"), ("Kidane", "ኪዳነ"), ("Tekle", "ተኽለ"),
         ("Mebrahtu", "መብራህቱ"), ("Ghebreyesus", "ገብረየሱስ")),
    ),
    "ET": (
        (("Hiwot", "ሕይወት"), ("Meron", "ሜሮን"), ("Tigist", "ትግስት"), ("Bethlehem", "ቤተልሔም"),
         ("Almaz", "አልማዝ"), ("Selamawit", "ሰላማዊት"), ("Mekdes", "መቅደስ"), ("Rahel", "ራሔል")),
        (("Abebe", "አበበ"), ("Dawit", "ዳዊት"), ("Getachew", "ጌታቸው"), ("Solomon", "ሰሎሞን"),
         ("Tewodros", "ቴዎድሮስ"), ("Yared", "ያሬድ"), ("Bekele", "በቀለ"), ("Mulugeta", "ሙሉጌታ")),
        (("Tadesse", "ታደሰ"), ("Bekele", "በቀለ"), ("Alemu", "አለሙ"), ("Girma", "ግርማ"),
         ("Haile", "ኃይሌ"), ("Tesfaye", "ተስፋዬ"), ("Wolde", "ወልዴ"), ("Kebede", "ከበደ")),
    ),
    "SO": (
        (("Faadumo", "Faadumo"), ("Hodan", "Hodan"), ("Ayaan", "Ayaan"), ("Sahra", "Sahra"),
         ("Hibaaq", "Hibaaq"), ("Ifrah", "Ifrah"), ("Nasra", "Nasra"), ("Khadra", "Khadra")),
        (("Mohamed", "Maxamed"), ("Abdi", "Cabdi"), ("Ahmed", "Axmed"), ("Hassan", "Xasan"),
         ("Abdullahi", "Cabdullaahi"), ("Yusuf", "Yuusuf"), ("Omar", "Cumar"), ("Ali", "Cali")),
        (("Abdi", "Cabdi"), ("Warsame", "Warsame"), ("Hussein", "Xuseen"),
         ("Mohamud", "Maxamuud"), ("Jama", "Jaamac"), ("Farah", "Faarax"), ("Ali", "Cali"),
         ("Yusuf", "Yuusuf")),
    ),
    "UA": (
        (("Olena", "Олена"), ("Nataliia", "Наталія"), ("Oksana", "Оксана"), ("Iryna", "Ірина"),
         ("Yuliia", "Юлія"), ("Tetiana", "Тетяна"), ("Mariia", "Марія"), ("Anna", "Анна")),
        (("Oleksandr", "Олександр"), ("Andrii", "Андрій"), ("Dmytro", "Дмитро"),
         ("Ivan", "Іван"), ("Serhii", "Сергій"), ("Maksym", "Максим"), ("Bohdan", "Богдан"),
         ("Taras", "Тарас")),
        (("Kovalenko", "Коваленко"), ("Shevchenko", "Шевченко"), ("Bondarenko", "Бондаренко"),
         ("Tkachenko", "Ткаченко"), ("Melnyk", "Мельник"), ("Kravchenko", "Кравченко"),
         ("Oliinyk", "Олійник"), ("Savchuk", "Савчук")),
    ),
}

# Ethiopian and Eritrean names: given name + father's name, no family name of the Western kind.
FATHER_NAME_COUNTRIES = frozenset({"ER", "ET", "SO"})

GERMAN_FIRST = (
    "Anna", "Lena", "Jonas", "Petra", "Sabine", "Thomas", "Uwe", "Katrin", "Michael", "Julia",
    "Stefan", "Monika", "Jürgen", "Claudia", "Lukas", "Hannah", "Birgit", "Klaus", "Marie",
    "Felix",
)
GERMAN_LAST = (
    "Müller", "Schmidt", "Schneider", "Fischer", "Weber", "Meyer", "Wagner", "Becker",
    "Hoffmann", "Schäfer", "Koch", "Richter", "Klein", "Wolf", "Neumann", "Schwarz",
    "Zimmermann", "Krüger", "Hartmann", "Lange", "Werner", "Krause", "Lehmann", "Köhler",
)
