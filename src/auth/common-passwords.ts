/**
 * Passwords of 8+ characters that top public breach-frequency lists (shorter ones fail the
 * length rule anyway). Compared case-insensitively. Small on purpose: it stops the guesses every
 * attacker tries first; throttling handles the rest.
 */
export const commonPasswords: ReadonlySet<string> = new Set(
  `
password 12345678 123456789 1234567890 12345678910 qwertyuiop iloveyou1 password1 password12 password123
password1234 11111111 00000000 abcd1234 qwerty123 qwerty12 qwerty1234 1q2w3e4r 1q2w3e4r5t 1qaz2wsx
1qaz2wsx3edc qazwsxedc zaq12wsx 12qwaszx q1w2e3r4 q1w2e3r4t5 q1w2e3r4t5y6 qwer1234 1234qwer asdf1234
asdfasdf asdfghjk asdfghjkl zxcvbnm1 zxcvbnm123 qwertyui sunshine sunshine1 princess princess1 football
football1 baseball baseball1 welcome1 welcome123 trustno1 superman superman1 starwars whatever jennifer
michelle computer corvette mercedes passw0rd p@ssw0rd p@ssword pa55word pa55w0rd letmein1 letmein123
admin123 admin1234 administrator changeme changeme1 987654321 0987654321 123123123 12341234 11223344
88888888 99999999 12121212 55555555 66666666 77777777 22222222 33333333 44444444 123456789a a1234567
aa123456 a12345678 abc12345 abcd12345 abcdefgh abc123456 iloveyou2 master12 dragon12 monkey12 shadow12
charlie1 michael1 jordan23 liverpool chelsea1 arsenal1 manchester blink182 pokemon1 pokemon123 naruto12
minecraft fortnite 147258369 159753456 741852963 123654789 147852369 987456321 1234abcd 123abc123
qweasdzxc qweasd123 1qazxsw2 xsw21qaz iloveyou123 lovely123 babygirl1 butterfly mustang1 harley12
ranger12 buster12 soccer12 hockey12 hunter12 killer12 jessica1 ashley12 nicole12 daniel12 andrew12
joshua12 matthew1 thomas12 summer12 diamond1 freedom1 whatever1 internet football12 basketball
cheese12 secret12 secret123 access14 flower12 samsung1 apple123 google123 facebook1 linkedin1 computer1
default1 guest123 test1234 testtest test12345 temp1234 user1234 login123 root1234 toor1234 cairn123
P@ssw0rd1 passwort motdepasse contrasena senha123 azertyuiop azerty123 qwertz123 1234567a 7777777a
`
    .split(/\s+/)
    .filter(Boolean)
    .map((p) => p.toLowerCase()),
);
