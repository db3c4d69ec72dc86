//! A tour of the API: accounts, agents, manual breeding, the clock, lineage
//! and breeding figures.
//!
//! ```sh
//! cargo run -p reynard-client --example tour -- BASE_URL USERNAME PASSWORD
//! cargo run -p reynard-client --example tour -- http://127.0.0.1:8000 alice alice-password-1
//! ```
//!
//! - `BASE_URL`: the server, such as `http://127.0.0.1:8000`.
//! - `USERNAME`, `PASSWORD`: an account. The tour registers it, with email
//!   `USERNAME@example.org`, or logs in when the name is taken.
//!
//! The tour creates four adult founders and breeds one child of each pair
//! by hand. With an admin account it then turns automatic breeding off,
//! nudges the clock until the children are adults, breeds them, and runs
//! one year of automatic breeding before restoring the switch. A failure in
//! between leaves the switch off. With a user account it waits instead for
//! one automatic breeding pass: as long as two simulated years take, at most
//! 120 seconds, and not at all while breeding is off or the clock paused.
//!
//! Agent ids end in the current Unix time in milliseconds, so the tour can
//! run again against the same world.

use std::process::ExitCode;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use reynard_client::{
    AgentDetail, ClientError, CreateAgentRequest, LifeStage, LineageView, NamingStyle, ReynardClient, Role, Spirit,
    TraitName,
};

/// Maximum time a user account waits for an automatic breeding pass.
const MAX_BREEDING_WAIT: Duration = Duration::from_secs(120);

/// Maximum simulated years an admin nudges while waiting for the young to grow up.
const MAX_YEARS_TO_ADULTHOOD: u32 = 40;

#[tokio::main]
async fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [base_url, username, password] = args.as_slice() else {
        eprintln!("usage: tour BASE_URL USERNAME PASSWORD");
        eprintln!("example: tour http://127.0.0.1:8000 alice alice-password-1");
        return ExitCode::from(2);
    };
    match run(base_url, username, password).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("tour failed: {error}");
            ExitCode::FAILURE
        }
    }
}

async fn run(base_url: &str, username: &str, password: &str) -> Result<(), ClientError> {
    let client = ReynardClient::new(base_url)?;
    let health = client.health().await?;
    println!("server at {base_url} is {} at tick {}", health.status, health.tick);

    sign_in(&client, username, password).await?;
    let me = client.me().await?;
    let role = if me.role == Role::Admin { "admin" } else { "user" };
    println!("logged in as {} ({role})", me.username);

    let status = client.get_world_status().await?;
    println!(
        "world: {} living agents, seed {}, year {:.2}, automatic breeding {}",
        status.agent_count,
        status.seed,
        status.time.simulation_years,
        if status.breeding_enabled { "on" } else { "off" },
    );

    let tag = SystemTime::now().duration_since(UNIX_EPOCH).map_or(0, |elapsed| elapsed.as_millis());
    let id = |name: &str| format!("{name}-{tag}");
    let founders = [
        CreateAgentRequest::new(id("vixen")).spirit(Spirit::Fox).age(20.0).trait_value(TraitName::Curiosity, 0.9),
        CreateAgentRequest::new(id("tod")).spirit(Spirit::Fox).style(NamingStyle::Destiny).age(22.0),
        CreateAgentRequest::new(id("luna")).spirit(Spirit::Wolf).age(21.0),
        CreateAgentRequest::new(id("fang")).spirit(Spirit::Wolf).name(format!("Fang {tag}")).age(24.0),
    ];
    for request in &founders {
        let agent = client.create_agent_with(request).await?;
        print_agent("created", &agent);
    }

    let mates = client.find_compatible_mates(&id("vixen"), Some(3)).await?;
    for mate in &mates.compatible_mates {
        println!("  possible mate for {}: {} ({:.2})", mates.agent_id, mate.agent_id, mate.compatibility);
    }
    let pair = client.analyze_compatibility(&id("vixen"), &id("tod")).await?;
    println!("vixen and tod: {} (compatibility {:.2}, kinship {:.2})", pair.analysis, pair.compatibility, pair.kinship);

    let kit = client.create_offspring(&id("vixen"), &id("tod"), &id("kit")).await?;
    print_agent("born", &kit);
    let pup = client.create_offspring(&id("luna"), &id("fang"), &id("pup")).await?;
    print_agent("born", &pup);

    let youngest = if me.role == Role::Admin {
        raise_second_generation(&client, &id("kit"), &id("pup"), &id("grandkit")).await?
    } else {
        wait_for_breeding(&client).await?;
        id("kit")
    };

    let lineage = client.get_agent_lineage(&youngest, Some(3)).await?;
    print_lineage(&lineage);

    let stats = client.get_breeding_stats().await?;
    println!(
        "breeding stats: {} living, {} mature, {} offspring ever ({:.2} per agent), {} deaths",
        stats.total_agents, stats.mature_agents, stats.total_offspring, stats.average_offspring_per_agent, stats.deaths,
    );
    Ok(())
}

/// Registers the account, or only logs in when the username is taken.
async fn sign_in(client: &ReynardClient, username: &str, password: &str) -> Result<(), ClientError> {
    match client.register(username, &format!("{username}@example.org"), password).await {
        Ok(user) => println!("registered {}", user.username),
        Err(error) if error.is_conflict() => println!("{username} is already registered; logging in"),
        Err(error) => return Err(error),
    }
    client.login(username, password).await?;
    Ok(())
}

/// Admin only: nudges the clock a year at a time until `kit` and `pup` are
/// adults, breeds them into `grandkit`, then runs one year of automatic
/// breeding and restores the switch. Returns the grandchild's id.
async fn raise_second_generation(
    client: &ReynardClient,
    kit: &str,
    pup: &str,
    grandkit: &str,
) -> Result<String, ClientError> {
    let steps_per_year = client.get_time().await?.steps_per_year;
    let was_enabled = client.get_breeding_stats().await?.enabled;

    // Automatic breeding is off while the young grow up, so no automatic
    // pass pairs them before the manual breeding below.
    client.enable_breeding(false).await?;
    let mut years = 0;
    while !(is_adult(client, kit).await? && is_adult(client, pup).await?) {
        if years == MAX_YEARS_TO_ADULTHOOD {
            println!("{kit} and {pup} are not adults after {years} years; stopping the nudges");
            break;
        }
        client.nudge(steps_per_year).await?;
        years += 1;
    }
    println!("nudged the clock {years} simulated years");

    let child = client.create_offspring(kit, pup, grandkit).await?;
    print_agent("born", &child);

    let before = client.enable_breeding(true).await?.stats.births;
    let time = client.nudge(steps_per_year).await?;
    let after = client.get_breeding_stats().await?.births;
    println!("one year of automatic breeding, to year {:.2}: {} births", time.simulation_years, after - before);
    let restored = client.enable_breeding(was_enabled).await?;
    println!("{}", restored.message);
    Ok(grandkit.to_owned())
}

async fn is_adult(client: &ReynardClient, agent_id: &str) -> Result<bool, ClientError> {
    Ok(client.get_agent(agent_id).await?.summary.stage == LifeStage::Adult)
}

/// Waits until the next birth is recorded, for as long as two simulated
/// years take in real time but at most [`MAX_BREEDING_WAIT`].
async fn wait_for_breeding(client: &ReynardClient) -> Result<(), ClientError> {
    let start = client.get_breeding_stats().await?;
    let time = client.get_time().await?;
    if !start.enabled {
        println!("automatic breeding is off and only an admin can turn it on; not waiting for births");
        return Ok(());
    }
    if time.paused {
        println!("the clock is paused and only an admin can resume it; not waiting for births");
        return Ok(());
    }

    let real_seconds_per_year = time.seconds_per_year / time.acceleration;
    let wait = Duration::from_secs_f64(2.0 * real_seconds_per_year).min(MAX_BREEDING_WAIT);
    println!("waiting up to {:.0} s for an automatic breeding pass", wait.as_secs_f64());
    let deadline = Instant::now() + wait;
    while Instant::now() < deadline {
        tokio::time::sleep(Duration::from_secs(1)).await;
        let stats = client.get_breeding_stats().await?;
        if stats.births > start.births {
            println!("{} births while waiting", stats.births - start.births);
            return Ok(());
        }
    }
    println!("no automatic births within {:.0} s", wait.as_secs_f64());
    Ok(())
}

fn print_agent(verb: &str, agent: &AgentDetail) {
    let summary = &agent.summary;
    let parents =
        if agent.parents.is_empty() { String::new() } else { format!(", child of {}", agent.parents.join(" and ")) };
    println!(
        "{verb} {} \"{}\": {}, {}, {:.1} years, generation {}{parents}",
        summary.agent_id,
        summary.name,
        summary.spirit.slug(),
        summary.stage.slug(),
        summary.age,
        summary.generation,
    );
}

fn print_lineage(lineage: &LineageView) {
    println!(
        "lineage of {} \"{}\" (generation {}, inbreeding {:.4}):",
        lineage.agent.agent_id, lineage.agent.name, lineage.generation, lineage.inbreeding_coefficient,
    );
    for ancestor in &lineage.ancestors {
        println!("  ancestor {} \"{}\" (distance {})", ancestor.agent_id, ancestor.name, ancestor.distance);
    }
    for descendant in &lineage.descendants {
        println!("  descendant {} \"{}\" (distance {})", descendant.agent_id, descendant.name, descendant.distance);
    }
}
