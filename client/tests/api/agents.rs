//! Agents, manual breeding, mate search, compatibility and lineage.

use reynard_client::{
    AgentFilter, CreateAgentRequest, CreateOffspringRequest, LifeStage, NamingStyle, ReynardClient, Spirit, StatusCode,
    TraitName,
};

use crate::common::{self, assert_api_error, ADMIN_USERNAME, STEPS_PER_YEAR};

/// Creates a fox founder `agent_id` aged `age` years.
async fn create_adult(client: &ReynardClient, agent_id: &str, age: f64) {
    let request = CreateAgentRequest::new(agent_id).age(age);
    client.create_agent_with(&request).await.expect("creating a founder succeeds");
}

#[tokio::test(flavor = "multi_thread")]
async fn create_agent_sets_spirit_style() {
    let server = common::start().await;
    let client = server.admin().await;

    let agent = client.create_agent("luna", Spirit::Wolf, NamingStyle::Destiny).await.expect("creation succeeds");

    assert_eq!(agent.summary.agent_id, "luna");
    assert_eq!(agent.summary.spirit, Spirit::Wolf);
    assert_eq!(agent.summary.style, NamingStyle::Destiny);
    assert_eq!(agent.summary.stage, LifeStage::Infant);
    assert_eq!(agent.created_by.as_deref(), Some(ADMIN_USERNAME));
    server.stop().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn create_agent_with_sets_fields() {
    let server = common::start().await;
    let client = server.user("dana").await;
    let request = CreateAgentRequest::new("vixen")
        .spirit(Spirit::Otter)
        .style(NamingStyle::Destiny)
        .name("Vixen Prime")
        .age(20.0)
        .trait_value(TraitName::Courage, 0.9)
        .trait_value(TraitName::Speed, 0.1)
        .trait_value(TraitName::Healer, 0.75);

    let agent = client.create_agent_with(&request).await.expect("creation succeeds");

    assert_eq!(agent.summary.name, "Vixen Prime");
    assert_eq!(agent.summary.spirit, Spirit::Otter);
    assert_eq!(agent.summary.age, 20.0);
    assert_eq!(agent.summary.stage, LifeStage::Adult);
    assert_eq!(agent.traits.0.get(TraitName::Courage), 0.9);
    assert_eq!(agent.traits.0.get(TraitName::Speed), 0.1);
    assert_eq!(agent.traits.0.get(TraitName::Healer), 0.75);
    assert_eq!(agent.created_by.as_deref(), Some("dana"));
    server.stop().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn get_agent_matches_created() {
    let server = common::start().await;
    let client = server.admin().await;
    let created = client.create_agent("tod", Spirit::Fox, NamingStyle::Foundation).await.expect("creation succeeds");

    let fetched = client.get_agent("tod").await.expect("lookup succeeds");

    assert_eq!(fetched, created);
    server.stop().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn get_agents_follows_cursor() {
    let server = common::start().await;
    let client = server.admin().await;
    for id in ["a1", "a2", "a3"] {
        create_adult(&client, id, 20.0).await;
    }

    let first = client.get_agents(Some(2), None, &AgentFilter::default()).await.expect("first page");
    let cursor = first.next_cursor.clone().expect("a second page exists");
    let second = client.get_agents(Some(2), Some(&cursor), &AgentFilter::default()).await.expect("second page");

    let first_ids: Vec<&str> = first.agents.iter().map(|agent| agent.agent_id.as_str()).collect();
    let second_ids: Vec<&str> = second.agents.iter().map(|agent| agent.agent_id.as_str()).collect();
    assert_eq!(first_ids, ["a1", "a2"]);
    assert_eq!(second_ids, ["a3"]);
    assert_eq!(second.next_cursor, None);
    server.stop().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn get_agents_applies_filters() {
    let server = common::start().await;
    let client = server.admin().await;
    create_adult(&client, "fox-adult", 20.0).await;
    client.create_agent("fox-infant", Spirit::Fox, NamingStyle::Foundation).await.expect("creation succeeds");
    let wolf = CreateAgentRequest::new("wolf-adult").spirit(Spirit::Wolf).age(30.0);
    client.create_agent_with(&wolf).await.expect("creation succeeds");

    let ids = |page: reynard_client::AgentPage| page.agents.into_iter().map(|agent| agent.agent_id).collect::<Vec<_>>();
    let wolves = AgentFilter { spirit: Some(Spirit::Wolf), ..AgentFilter::default() };
    let infants = AgentFilter { stage: Some(LifeStage::Infant), ..AgentFilter::default() };
    let dead = AgentFilter { alive: Some(false), ..AgentFilter::default() };

    assert_eq!(ids(client.get_agents(None, None, &wolves).await.expect("wolves")), ["wolf-adult"]);
    assert_eq!(ids(client.get_agents(None, None, &infants).await.expect("infants")), ["fox-infant"]);
    assert!(ids(client.get_agents(None, None, &dead).await.expect("dead")).is_empty());
    server.stop().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn create_offspring_links_parents() {
    let server = common::start().await;
    let client = server.admin().await;
    create_adult(&client, "vixen", 20.0).await;
    create_adult(&client, "tod", 22.0).await;

    let kit = client.create_offspring("vixen", "tod", "kit").await.expect("breeding succeeds");
    let mother = client.get_agent("vixen").await.expect("lookup succeeds");

    assert_eq!(kit.parents, ["vixen", "tod"]);
    assert_eq!(kit.summary.generation, 2);
    assert_eq!(kit.summary.stage, LifeStage::Infant);
    assert_eq!(mother.children, ["kit"]);
    server.stop().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn create_offspring_with_name() {
    let server = common::start().await;
    let client = server.admin().await;
    create_adult(&client, "vixen", 20.0).await;
    create_adult(&client, "tod", 22.0).await;

    let request = CreateOffspringRequest::new("vixen", "tod", "kit").name("Little Kit");
    let kit = client.create_offspring_with(&request).await.expect("breeding succeeds");

    assert_eq!(kit.summary.name, "Little Kit");
    server.stop().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn mates_include_eligible_partner() {
    let server = common::start().await;
    let client = server.admin().await;
    create_adult(&client, "vixen", 20.0).await;
    create_adult(&client, "tod", 22.0).await;
    client.create_agent("cub", Spirit::Fox, NamingStyle::Foundation).await.expect("creation succeeds");

    let mates = client.find_compatible_mates("vixen", Some(3)).await.expect("mate search succeeds");

    let ids: Vec<&str> = mates.compatible_mates.iter().map(|mate| mate.agent_id.as_str()).collect();
    assert_eq!(mates.agent_id, "vixen");
    assert_eq!(ids, ["tod"]);
    server.stop().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn compatibility_lists_reasons() {
    let server = common::start().await;
    let client = server.admin().await;
    create_adult(&client, "vixen", 20.0).await;
    create_adult(&client, "tod", 22.0).await;
    client.create_agent("cub", Spirit::Fox, NamingStyle::Foundation).await.expect("creation succeeds");

    let pair = client.analyze_compatibility("vixen", "tod").await.expect("comparison succeeds");
    let with_cub = client.analyze_compatibility("vixen", "cub").await.expect("comparison succeeds");

    assert!(pair.eligible, "two unrelated adults may breed");
    assert!(pair.reasons.is_empty(), "got {:?}", pair.reasons);
    assert!(!with_cub.eligible, "an infant may not breed");
    assert_eq!(with_cub.reasons, ["cub is infant, only adults breed"]);
    server.stop().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn lineage_lists_relatives() {
    let server = common::start().await;
    let client = server.admin().await;
    create_adult(&client, "vixen", 20.0).await;
    create_adult(&client, "tod", 22.0).await;
    client.create_offspring("vixen", "tod", "kit").await.expect("breeding succeeds");

    let of_kit = client.get_agent_lineage("kit", Some(2)).await.expect("lineage of the kit");
    let of_vixen = client.get_agent_lineage("vixen", None).await.expect("lineage of the mother");

    let parents: Vec<&str> = of_kit.parents.iter().map(|parent| parent.agent_id.as_str()).collect();
    let descendants: Vec<&str> = of_vixen.descendants.iter().map(|child| child.agent_id.as_str()).collect();
    assert_eq!(of_kit.generation, 2);
    assert_eq!(parents, ["vixen", "tod"]);
    assert_eq!(descendants, ["kit"]);
    server.stop().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn generated_ids_work_in_paths() {
    let server = common::start().await;
    let client = server.admin().await;
    create_adult(&client, "vixen", 20.0).await;
    create_adult(&client, "tod", 22.0).await;
    client.enable_breeding(true).await.expect("enabling breeding succeeds");
    client.nudge(STEPS_PER_YEAR).await.expect("nudge succeeds");

    let infants = AgentFilter { stage: Some(LifeStage::Infant), ..AgentFilter::default() };
    let page = client.get_agents(None, None, &infants).await.expect("listing succeeds");
    let generated = page.agents.first().expect("an automatic pass bred a child").agent_id.clone();
    let fetched = client.get_agent(&generated).await.expect("lookup by generated id succeeds");
    let lineage = client.get_agent_lineage(&generated, Some(1)).await.expect("lineage by generated id succeeds");

    assert!(generated.contains('~'), "generated ids contain '~', got {generated}");
    assert_eq!(fetched.summary.agent_id, generated);
    assert_eq!(lineage.agent.agent_id, generated);
    server.stop().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn slash_in_id_stays_one_segment() {
    let server = common::start().await;
    let client = server.admin().await;

    let result = client.get_agent("a/b").await;

    let detail = "agent_id may contain only letters A-Z and a-z, digits and . _ - (found '/')";
    assert_api_error(result, StatusCode::UNPROCESSABLE_ENTITY, detail);
    server.stop().await;
}
