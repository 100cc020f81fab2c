"""Common Italian given names by sex and common surnames (synthetic people only)."""

from __future__ import annotations


def _unique(words: list[str]) -> tuple[str, ...]:
    # "_" joins the words of a surname inside the whitespace-separated lists.
    return tuple(dict.fromkeys(w.replace("_", " ") for w in words))


MALE_NAMES: tuple[str, ...] = _unique(
    """
    Giuseppe Giovanni Antonio Mario Luigi Francesco Angelo Vincenzo Pietro Salvatore
    Carlo Franco Domenico Bruno Paolo Michele Giorgio Aldo Sergio Luciano Roberto Stefano
    Andrea Marco Alessandro Luca Matteo Lorenzo Davide Simone Federico Riccardo Gabriele
    Tommaso Leonardo Edoardo Filippo Emanuele Daniele Alberto Claudio Massimo Maurizio
    Fabio Enrico Giancarlo Gianni Renato Umberto Alfredo Ernesto Sandro Dario Diego Ettore
    Fausto Giulio Guido Ivan Jacopo Nicola Nicolò Ottavio Raffaele Rocco Silvio Tiziano
    Valerio Vittorio Walter Adriano Alessio Alfonso Ambrogio Arturo Attilio Augusto Benito
    Carmelo Cesare Corrado Cristian Cristiano Elia Emilio Enzo Fabrizio Felice Ferdinando
    Flavio Fulvio Gaetano Gennaro Gerardo Giacomo Gianluca Gianfranco Gianpaolo Gino
    Giordano Girolamo Ignazio Italo Lamberto Leone Lino Livio Loris Luciano Manuel Marcello
    Mariano Martino Mattia Mauro Mirko Nazareno Nello Nino Oreste Orlando Osvaldo Pasquale
    Piero Pierluigi Pino Primo Raimondo Remo Renzo Riccardo Rinaldo Rino Rodolfo Romano
    Rosario Ruggero Samuele Sebastiano Severino Silvano Tullio Ugo Valentino Valter Vito
    Alessandro Christian Denis Elio Emiliano Ezio Fernando Franco Gabriele Gianmarco
    Giuliano Graziano Guglielmo Igor Lucio Luigino Marino Massimiliano Mirco Moreno Natale
    Nevio Olindo Omar Paride Patrizio Pier Raul Rolando Sauro Settimo Stefano Teodoro
    Tiberio Tito Valerio Virgilio Zeno Achille Adolfo Agostino Albino Amedeo Anselmo
    Armando Aurelio Bartolomeo Battista Benedetto Bernardo Biagio Calogero Camillo Carmine
    Ciro Cosimo Damiano Dante Donato Egidio Elvio Eugenio Ezechiele Fiorenzo Gilberto
    Giosuè Goffredo Ilario Leandro Lelio Libero Marzio Menotti Nazario Onofrio Orazio
    Pompeo Quirino Raniero Sabatino Santo Saverio Secondo Siro Terenzio Ubaldo Vasco
    Alex Kevin Thomas Samuel Christopher Nathan Noah Giacomo Brando Pietro Ludovico
    """.split()
)

FEMALE_NAMES: tuple[str, ...] = _unique(
    """
    Maria Anna Giuseppina Rosa Angela Giovanna Teresa Lucia Carmela Caterina Francesca
    Antonietta Carla Elena Concetta Rita Margherita Franca Paola Laura Giulia Sofia
    Aurora Alice Ginevra Emma Giorgia Greta Beatrice Anna Chiara Martina Sara Federica
    Silvia Valentina Alessandra Elisa Barbara Monica Cristina Simona Roberta Daniela
    Patrizia Antonella Manuela Stefania Raffaella Sabrina Claudia Marina Luisa Gabriella
    Adele Adriana Agnese Alba Alberta Albina Alda Amalia Amelia Angelina Annalisa
    Arianna Assunta Bianca Bruna Camilla Carolina Cecilia Clara Clelia Costanza Debora
    Delia Diana Dina Donatella Edda Elisabetta Elsa Emanuela Emilia Enrica Erika Ester
    Eva Fabiola Fernanda Filomena Fiorella Flavia Gemma Gianna Gilda Gina Gloria Grazia
    Ida Ilaria Immacolata Ines Irene Iolanda Irma Isabella Jessica Lara Letizia Lidia
    Liliana Linda Lina Livia Loredana Lorena Lorenza Luciana Ludovica Marcella Mariangela
    Marisa Marta Matilde Melissa Michela Milena Mirella Nadia Natalia Nicoletta Noemi
    Nora Norma Olga Ornella Pamela Pierina Rachele Rebecca Renata Rina Rossana Rossella
    Sandra Serena Silvana Sonia Stella Susanna Tamara Tiziana Vanessa Vera Veronica
    Viola Virginia Vittoria Wanda Ylenia Zaira Agata Angelica Antonia Benedetta Carmen
    Cinzia Cristiana Doriana Elvira Enza Erminia Fabrizia Fausta Gabriella Giada Giuliana
    Graziella Ivana Lea Lorella Maddalena Mara Marilena Mariella Miriam Nives Orietta
    Palmira Piera Rosalba Rosanna Rosaria Rosella Rosetta Sabina Savina Sveva Teodora
    Tina Ursula Vincenza Adelaide Addolorata Alessia Aida Anita Beatrice Celeste Dora
    Elda Eleonora Fiorenza Ada Annamaria Carlotta Caterina Chiara Nina Matilde Mia
    Asia Nicole Giorgia Arianna Miriam Emily Victoria Azzurra Gaia Irene Lisa Elisa
    """.split()
)

SURNAMES: tuple[str, ...] = _unique(
    """
    Rossi Russo Ferrari Esposito Bianchi Romano Colombo Ricci Marino Greco Bruno Gallo
    Conti De_Luca Mancini Costa Giordano Rizzo Lombardi Moretti Barbieri Fontana Santoro
    Mariani Rinaldi Caruso Ferrara Galli Martini Leone Longo Gentile Martinelli Vitale
    Lombardo Serra Coppola De_Santis D'Angelo Marchetti Parisi Villa Conte Ferraro Ferri
    Fabbri Bianco Marini Grasso Valentini Messina Sala De_Angelis Gatti Pellegrini Palumbo
    Sanna Farina Rizzi Monti Cattaneo Morelli Amato Silvestri Mazza Testa Grassi
    Pellegrino Carbone Giuliani Benedetti Barone Rossetti Caputo Montanari Guerra Palmieri
    Bernardi Martino Fiore De_Rosa Ferretti Bellini Basile Riva Donati Piras Vitali
    Battaglia Sartori Neri Costantini Milani Pagano Ruggiero Sorrentino D'Amico Orlando
    Damico Negri Colonna Cirillo Bruni Fumagalli Brambilla Crippa Mauri Ronchi Galbiati
    Sironi Pozzi Cereda Redaelli Mapelli Frigerio Bonfanti Ghezzi Corti Cazzaniga Tagliabue
    Motta Longoni Arosio Vergani Pirovano Borgonovo Castelli Valsecchi Riva Bassi Bertoli
    Brivio Bonacina Rota Locatelli Pesenti Ravasio Carminati Cattaneo Bonetti Zanetti
    Gatti Guarnieri Bonomi Tosi Pagani Cavalli Maggi Invernizzi Viganò Vismara Monzani
    Radaelli Galimberti Meroni Sangalli Confalonieri Colombini Molteni Origgi Banfi
    Barzaghi Beretta Biffi Bossi Canzi Carzaniga Ceriani Colnaghi Consonni Crespi
    Fossati Gerosa Giussani Lissoni Lualdi Mariani Marelli Masciadri Mazzola Nava Oggioni
    Pessina Pozzoli Pessina Re Rusconi Salvioni Scotti Spinelli Terraneo Tremolada
    Valtorta Vimercati Zappa Agostini Alberti Amadei Baldi Barbero Bellucci Benetti
    Bertini Bianchini Borghi Bortolotti Bosco Bottini Bruno Calabrese Campana Cantoni
    Capelli Carli Casati Cassani Cavallo Chiesa Cocco Corsi Cortese Cristiani D'Alessandro
    De_Marco De_Simone Di_Stefano Di_Giovanni Di_Pietro Fadda Farinelli Fasano Ferrero
    Fiorentino Franchi Gallo Gargiulo Gentili Giannini Giorgi Grandi Guidi Lanza Leoni
    Lorenzi Lucchesi Magnani Manzoni Marchi Marras Melis Mele Miele Molinari Montagna
    Mura Nardi Orsini Pace Pagliari Paoletti Parodi Pasquali Pastore Piccolo Pini Poli
    Porcu Raimondi Ricciardi Rinaldo Rocca Rossini Ruggeri Russo Sacco Salvi Santini
    Sartori Sbarra Schiavone Sergi Serafini Simoni Sorrentino Stefani Tedesco Tornaghi
    Toscano Trevisan Valente Venturi Vianello Vitale Zanella Zanoni Zucchi Zanardi
    D'Agostino Dell'Orto Lo_Russo La_Rosa Li_Causi Lo_Presti Dall'Olio Dalla_Valle
    Esposti Fiorini Guerini Iannone Laurenti Mancuso Napolitano Nicolosi Palazzo Perego
    Quaranta Ranieri Romeo Sala Sarti Scarpa Sciarra Talamo Tomasi Urso Vaccaro Zito
    """.split()
)

