"""The made-up news articles whose sentences are the ground truth of the test PDFs."""

RUNNING_HEADER = "Haldrup Weekly - Town and Environment - Spring Edition"

LIBRARY_TITLE = "Night hours at the town library"
LIBRARY_ARTICLE = (
    "The town library on Market Street will stay open until ten in the evening from the first of "
    "March. The council approved the change on Tuesday after a trial that ran for six weeks last "
    "autumn. During the trial, more than four thousand people came in after seven o'clock, most "
    "of them students and shift workers. Staff say the quiet evening hours were the busiest time "
    "for the study rooms.",
    "The longer hours will not require new hires. Instead, the library will use self-service "
    "machines for loans and returns after six, and two members of staff will cover the reading "
    "rooms. A security guard, shared with the swimming hall next door, will make rounds every "
    "hour. The head librarian, Marta Lindqvist, said the arrangement had worked without a single "
    "complaint during the trial.",
    "Not everyone is convinced. The union representing library workers warned that two people "
    "are too few for a building with three floors. It asked the council to review the staffing "
    "after the first three months. Several parents also asked whether the children's section "
    "would be supervised in the evening, since it closes at six today.",
    "The council's answer is that the children's section will keep its current hours. Its doors "
    "will be locked at six, and the upper floors will remain open to adults and teenagers with a "
    "library card. The extra cost, mostly electricity and cleaning, is estimated at 180,000 "
    "crowns a year. That is less than a tenth of what a full evening staff would have cost, "
    "according to the budget office.",
    "Students at the nearby technical college welcomed the decision. Many of them share small "
    "flats and have nowhere quiet to work after classes. One second-year student said she had "
    "written most of her thesis at the library during the trial weeks. She hopes the café on the "
    "ground floor will also stay open, but that has not yet been decided.",
    "The library will publish visitor numbers for the evening hours every quarter. If fewer than "
    "fifty people come in on an average evening, the council may cut the late hours back to two "
    "nights a week. The first figures are expected in June.",
)
RIVER_TITLE = "The buried stream that came back"
RIVER_ARTICLE = (
    "For almost ninety years, the Kvarn stream ran through a concrete pipe under the centre of "
    "Haldrup. It was put there in 1936, when the town needed room for a road and the open water "
    "was seen as a source of smells and disease. Most residents under sixty had no idea the "
    "stream existed at all. This summer, after three years of digging, it flows in daylight "
    "again, through a new park between the railway station and the old tannery.",
    "The project cost 64 million crowns, of which the European Union paid about a third. The rest "
    "came from the municipality, the regional water company and a local foundation. Critics "
    "called it an expensive way to build a ditch. Supporters pointed to the floods of 2019 and "
    "2021, when the old pipe could not carry the water from heavy rain and the basements of more "
    "than two hundred homes filled up.",
    "The engineering idea is simple. An open channel with gently sloping banks can hold far more "
    "water than a pipe of the same width, and the surrounding park can flood on purpose without "
    "harming anyone. During a cloudburst, the lawns on both sides turn into shallow ponds for a "
    "day or two. When the rain stops, the water drains slowly into the stream and on to the fjord.",
    "Getting there was not simple at all. The pipe ran under eleven private properties, a petrol "
    "station and a protected building from the eighteenth century. Negotiations with the owners "
    "took longer than the construction itself. In the end, the municipality bought two of the "
    "properties outright and moved the petrol station two hundred metres to the north, at a cost "
    "that was not in the original budget.",
    "Under the old tannery, the diggers found something nobody had planned for. The soil was "
    "heavily polluted with chromium, a legacy of the leather industry that closed in the 1970s. "
    "About nine thousand tonnes of earth had to be removed and treated at a special site on the "
    "coast. The clean-up delayed the project by seven months and added eleven million crowns to "
    "the bill.",
    "Ecologists say the results are already visible. Within weeks of the water returning, "
    "sticklebacks and freshwater shrimp appeared in the new pools. A pair of grey wagtails nested "
    "under the footbridge in May. Anne-Sofie Bech, a biologist at the regional museum, has "
    "counted more than forty species of insects along the banks, including two dragonflies that "
    "had not been recorded in the town before.",
    "Sea trout are the real test. The fish used to swim up the Kvarn to spawn in the gravel beds "
    "above the town, but the pipe and a weir at its outlet blocked the way. The weir has now been "
    "replaced by a series of low stone steps. Anglers and biologists will know next winter "
    "whether the trout have found their way back.",
    "Not every neighbour is pleased. Some shop owners on Algade lost parking spaces when the "
    "street was narrowed to make room for the channel. One of them, who sells bicycles, says his "
    "turnover fell by a fifth during the construction years. He admits that more people walk "
    "past his window now, but he doubts that they buy as much as the drivers did.",
    "Safety was another concern. Parents asked what would stop small children from falling into "
    "the water. The answer was to keep the stream shallow, less than forty centimetres in most "
    "places, and to plant thick reeds along the steepest banks. There are no fences. The "
    "landscape architects argue that fences would have cut the park in two and invited people to "
    "climb them.",
    "The town's older residents have brought their own stories to the project. A local history "
    "group collected photographs of the stream from before 1936, showing washerwomen at the bank "
    "and boys fishing from a wooden bridge. Copies of the pictures now hang on boards along the "
    "new path. Jørgen Müller, who is ninety-one, says his father helped to lay the pipe and "
    "always regretted it.",
    "Other towns are watching closely. Planners from at least six municipalities have visited "
    "Haldrup since the park opened, and several have buried streams of their own. The national "
    "association of water companies estimates that there are more than four hundred kilometres "
    "of piped streams in the country. Opening even a small part of them would cost billions, but "
    "so does repairing flood damage.",
    "The maintenance budget is still an open question. Reeds must be cut, sediment must be "
    "removed from the pools, and litter collects at the grates after every storm. The "
    "municipality has set aside 1.2 million crowns a year, which the park department calls the "
    "bare minimum. A volunteer group has offered to help with the lighter work on weekends.",
    "For now, the park is simply popular. On warm evenings, families picnic on the lawns and "
    "teenagers dangle their feet in the water under the footbridge. The café in the old pump "
    "house has extended its opening hours twice since June. Whatever the trout decide, the town "
    "has gained a place to sit by running water, something it had forgotten it ever had.",
)
BAKERY_ARTICLE = (
    "The bakery on Strandvej has baked bread in gas ovens since 1962. In January, its owner, Lise "
    "Kjær, had the last of them removed and replaced with two electric deck ovens and a heat "
    "pump. The change cost her nearly as much as the bakery earns in a year. She says the rising "
    "price of gas and a grant from the energy agency made the decision easier than it looks.",
    "Electric ovens are common in large industrial bakeries but still rare in small shops. Many "
    "bakers believe that gas gives a better crust, especially for rye bread and sourdough. Kjær "
    "was worried about the same thing. She baked test batches for two weeks at a supplier's "
    "workshop before she signed the order, and her regular customers were asked to taste the "
    "results without being told which oven had been used.",
    "Most of them could not tell the difference. A few preferred the new bread, saying the crust "
    "was more even. One customer, a retired baker, insisted that the electric loaves tasted flat, "
    "but he kept buying them anyway. Kjær laughs about it now. She says the real difference is in "
    "the kitchen, which no longer smells of burnt gas in the early morning.",
    "The heat pump recovers warmth from the ovens and the cooling rooms and uses it to heat water "
    "and the flat above the shop. According to the installer, it covers almost all of the "
    "building's hot water needs. In winter, the bakery now sends surplus heat into the district "
    "heating network through a small exchanger in the cellar. It is paid a modest price for "
    "every megawatt-hour it delivers.",
    "The numbers are still uncertain. Electricity prices swing from hour to hour, and bakers work "
    "at night, when power is usually cheap. Kjær has moved the longest baking runs to between two "
    "and five in the morning. Her electricity bill for the first quarter was about forty percent "
    "lower than the gas bill for the same months last year, but she warns that one cold winter "
    "could change the picture.",
    "There were practical problems too. The old wiring in the building could not carry the load "
    "of two large ovens, so the grid company had to lay a new cable from the street. That took "
    "four months and required a permit from the road authority. During the wait, the bakery ran "
    "on a single rented oven and sold only half of its usual range.",
    "Staff had to learn new habits. Electric ovens heat up more slowly, and the trays must go in "
    "at different times. The head baker, Tomasz Nowak, kept a notebook of every batch for the "
    "first six weeks. He says the ovens are easier to control once you know them, and that the "
    "temperature stays steady even when the door is opened often on busy Saturday mornings.",
    "The national bakers' association says that about one in ten small bakeries has asked for "
    "advice on switching. Its energy adviser expects many to wait until their gas ovens wear "
    "out, since a new oven lasts twenty years or more. She also points out that a heat pump only "
    "pays off if there is somewhere to use the heat, which is not the case in every shopping "
    "street.",
    "For Kjær, the decision was partly about the next generation. Her daughter has started as an "
    "apprentice, and the two of them talk about running the bakery without fossil fuels by the "
    "end of the decade. The delivery van is the next item on the list. A second-hand electric "
    "van is already parked in the yard, waiting for a charger that the landlord has promised to "
    "install.",
    "On a grey Tuesday morning, the queue still reaches the door. People come for the same seeded "
    "rye and cinnamon rolls they have bought for years. Few of them know what kind of oven stands "
    "behind the counter. Kjær thinks that is exactly how it should be.",
)

FERRY_ARTICLE = (
    "The ferry to Langø made its first crossing on battery power on the second Monday of April. "
    "The new vessel, named Tern, carries up to thirty cars and three hundred passengers on the "
    "forty-minute route. It replaces a diesel ferry that had served the island since 1988. For "
    "the two hundred and fifty people who live on Langø all year, the ferry is the only link to "
    "schools, doctors and jobs on the mainland.",
    "The batteries are charged at both harbours while cars drive on and off. A crossing uses "
    "about a third of the capacity, so the ship can still make the trip if one charger fails. The "
    "charging towers were built by the regional grid company, which also had to strengthen the "
    "cable to the island. The whole project, ship and chargers together, cost 118 million crowns.",
    "Islanders had feared that the new ferry would be smaller than the old one. In the first "
    "plans it was, and a petition against the cut collected more than two thousand signatures, "
    "many of them from summer residents. The design was changed to add a second car deck. That "
    "decision delayed the delivery from the shipyard in Poland by almost a year.",
    "The crew noticed the difference at once. There is no engine noise on the bridge, and the "
    "vibration that used to shake the cafeteria tables has gone. Captain Henrik Dahl, who has "
    "sailed the route for twenty-two years, says the ship answers the helm more quickly than the "
    "old one. Passengers mostly talk about the smell, or rather the lack of it, on the open deck.",
    "Not everything went smoothly in the first weeks. A software fault in the charging system "
    "stopped two departures in April, and passengers had to wait more than an hour in the rain. "
    "The shipping company has since added a manual override. It also promised to send a text "
    "message to regular travellers whenever a departure is delayed by more than fifteen minutes.",
    "The timetable has changed as well. Because the ferry needs a few minutes at each harbour to "
    "charge, the last evening departure from the mainland now leaves at half past nine instead of "
    "ten. Commuters who work late shifts at the hospital have complained. The municipality says "
    "it will test an extra night departure on Fridays and Saturdays during the summer.",
    "Fuel savings are large. The old ferry burned about six hundred thousand litres of diesel a "
    "year. Even with the price of electricity included, the running costs are expected to fall "
    "by almost half. The municipality, which owns the route, says the money will go to keeping "
    "ticket prices for residents at the current level for at least five years.",
    "Other island communities are following the experiment. Three more routes in the region will "
    "get electric ferries before 2030, according to the transport plan adopted last year. The "
    "smallest of them, a twelve-car ferry to Hjortø, may be ordered from the same shipyard to "
    "save on design costs.",
    "On the island, life goes on at its own pace. The grocery store still closes at five, and the "
    "ferry still sets the rhythm of the day. Children on their way to school now do their "
    "homework in a quiet lounge. Several of them say they no longer get seasick, although the "
    "captain suspects that the calm spring weather deserves most of the credit.",
)

# Every article, in the order the two-column and the 30-page PDFs use them.
ALL_ARTICLES = (*RIVER_ARTICLE, *BAKERY_ARTICLE, *FERRY_ARTICLE, *LIBRARY_ARTICLE)
